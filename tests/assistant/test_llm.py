"""The optional language model: off by default, may only rephrase, keeps the citations,
and falls back to the extractive answer on any error."""

from __future__ import annotations

import json
import urllib.error
from typing import Any

import pytest
from django.test import Client

from xaso.assistant import llm
from xaso.assistant.compose import Reply, citizen_reply
from xaso.assistant.engine import Engine

CONFIG = llm.LLMConfig(url="http://llm.invalid/v1", model="test")


def reply_for(engine: Engine, question: str = "dang ky tam tru bao nhieu tien") -> Reply:
    return citizen_reply(engine.ask(question))


def test_it_is_off_unless_configured(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.delenv("XASO_LLM_URL", raising=False)
    assert llm.llm_config() is None
    monkeypatch.setenv("XASO_LLM_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("XASO_LLM_MODEL", "qwen")
    config = llm.llm_config()
    assert config is not None and config.model == "qwen"


def test_a_failing_endpoint_falls_back_to_the_extractive_answer(small_engine: Engine) -> None:
    def broken(url: str, payload: dict[str, Any], key: str, timeout: float) -> dict[str, Any]:
        raise urllib.error.URLError("connection refused")

    reply = reply_for(small_engine)
    assert llm.rephrase(reply, question="q", config=CONFIG, post=broken) is reply
    garbage = llm.rephrase(reply, question="q", config=CONFIG, post=lambda *a: {"choices": []})
    assert garbage is reply and garbage.generated is None


def test_a_rephrasing_keeps_the_citations_and_the_facts(small_engine: Engine) -> None:
    sent: dict[str, Any] = {}

    def fake(url: str, payload: dict[str, Any], key: str, timeout: float) -> dict[str, Any]:
        sent.update(url=url, payload=payload)
        text = "Đăng ký tạm trú (1.004194): lệ phí 20.000 đồng khi nộp trực tiếp, 10.000 đồng trực tuyến."
        return {"choices": [{"message": {"content": text}}]}

    reply = reply_for(small_engine)
    out = llm.rephrase(reply, question="tạm trú bao nhiêu tiền", config=CONFIG, post=fake)
    assert out.generated is not None and out.answer == out.generated
    assert out.citations == reply.citations and out.sentences == reply.sentences
    assert sent["url"] == "http://llm.invalid/v1/chat/completions"
    assert "1.004194" in json.dumps(sent["payload"], ensure_ascii=False)


def test_a_rephrasing_that_drops_the_code_or_invents_a_number_is_refused(small_engine: Engine) -> None:
    reply = reply_for(small_engine)
    no_code = llm.rephrase(
        reply,
        question="q",
        config=CONFIG,
        post=lambda *a: {"choices": [{"message": {"content": "Lệ phí rẻ."}}]},
    )
    invented = llm.rephrase(
        reply,
        question="q",
        config=CONFIG,
        post=lambda *a: {"choices": [{"message": {"content": "1.004194: lệ phí 99.000 đồng."}}]},
    )
    assert no_code.generated is None and invented.generated is None


def test_an_abstention_is_never_sent_to_the_model(small_engine: Engine) -> None:
    def must_not_call(*args: Any) -> dict[str, Any]:
        raise AssertionError("called")

    reply = citizen_reply(small_engine.ask("gia vang hom nay"))
    assert llm.rephrase(reply, question="q", config=CONFIG, post=must_not_call) is reply


@pytest.mark.django_db
def test_the_api_falls_back_when_the_endpoint_fails(
    catalog: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XASO_LLM_URL", "http://127.0.0.1:9/v1")

    def broken(url: str, payload: dict[str, Any], key: str, timeout: float) -> dict[str, Any]:
        raise OSError("connection refused")

    monkeypatch.setattr(llm, "post_json", broken)
    body = (
        Client()
        .post(
            "/api/v1/assistant/ask",
            json.dumps({"question": "dang ky ket hon"}),
            content_type="application/json",
        )
        .json()
    )
    assert body["generated"] is False and body["citations"][0]["code"] == "1.000894"
