"""Optional rephrasing by a language model behind an OpenAI-compatible endpoint.

Off unless ``XASO_LLM_URL`` is set (a Django setting or an environment variable), e.g.
``http://127.0.0.1:8080/v1``; ``XASO_LLM_MODEL``, ``XASO_LLM_KEY`` and
``XASO_LLM_TIMEOUT`` (seconds, default 8) complete it. The model only rewrites the
extractive answer's sentences into plainer prose: the citations stay those of the
retrieved procedures, the text must still carry each cited code, and it may not contain a
number the facts do not (a fee, a time, a legal reference invented by the model). Any
error, timeout or failed check falls back to the extractive answer, which is always shown
with its sources.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings

from xaso.assistant.compose import Reply

log = logging.getLogger(__name__)
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")

PostJson = Callable[[str, dict[str, Any], str, float], dict[str, Any]]


@dataclass(frozen=True)
class LLMConfig:
    url: str
    model: str
    key: str = ""
    timeout: float = 8.0


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, default))


def llm_config() -> LLMConfig | None:
    url = _setting("XASO_LLM_URL").strip()
    if not url:
        return None
    try:
        timeout = float(_setting("XASO_LLM_TIMEOUT", "8"))
    except ValueError:
        timeout = 8.0
    return LLMConfig(
        url=url, model=_setting("XASO_LLM_MODEL", "default"), key=_setting("XASO_LLM_KEY"), timeout=timeout
    )


def post_json(url: str, payload: dict[str, Any], key: str, timeout: float) -> dict[str, Any]:
    """POST JSON and read JSON (the only network call of the assistant)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"XASO_LLM_URL must be an http(s) address, not {url!r}")
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=json.dumps(payload).encode("utf-8"), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        data: dict[str, Any] = json.loads(response.read().decode("utf-8"))
        return data


PROMPTS = {
    "vi": (
        "Bạn viết lại câu trả lời của trợ lý ảo một Trung tâm Phục vụ hành chính công cho dễ hiểu. "
        "Chỉ dùng các dữ kiện được cho, không thêm thông tin, con số hay văn bản pháp luật nào khác. "
        "Giữ nguyên mã thủ tục và đường dẫn. Trả lời bằng tiếng Việt, ngắn gọn."
    ),
    "en": (
        "You rewrite a public-service assistant's answer in plain language. Use only the facts given; "
        "add no other information, number or legal reference. Keep every procedure code and link. "
        "Answer in English, briefly."
    ),
}


def acceptable(text: str, reply: Reply) -> bool:
    """The rephrasing keeps every cited code and invents no number."""
    if not text or len(text) > 4000:
        return False
    if any(c.code not in text for c in reply.citations):
        return False
    facts = " ".join(s.text for s in reply.sentences)
    allowed = set(_NUMBER.findall(facts))
    return all(n in allowed for n in _NUMBER.findall(text))


def rephrase(
    reply: Reply, *, question: str, config: LLMConfig | None = None, post: PostJson | None = None
) -> Reply:
    """The reply with ``generated`` text when the model is configured and its text passes
    the checks; the reply unchanged otherwise."""
    config = config if config is not None else llm_config()
    if config is None or reply.abstained or not reply.citations:
        return reply
    facts = "\n".join(f"{i}. {s.text}" for i, s in enumerate(reply.sentences, 1))
    payload = {
        "model": config.model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": PROMPTS.get(reply.language, PROMPTS["en"])},
            {"role": "user", "content": f"Question: {question}\n\nFacts:\n{facts}"},
        ],
    }
    post = post or post_json
    try:
        data = post(config.url.rstrip("/") + "/chat/completions", payload, config.key, config.timeout)
        text = str(data["choices"][0]["message"]["content"]).strip()
    except (OSError, ValueError, KeyError, IndexError, TypeError, urllib.error.URLError) as exc:
        log.warning("assistant: the language model failed (%s); using the extractive answer", exc)
        return reply
    if not acceptable(text, reply):
        log.warning("assistant: the language model's text failed the checks; using the extractive answer")
        return reply
    return replace(reply, generated=text)
