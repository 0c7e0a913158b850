"""The virtual assistant in a real browser: a question typed without diacritics gets the
right procedure and a link that opens it — with htmx, and as a plain form without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assistant.conftest import catalog  # noqa: F401 — shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARRIAGE = "/procedures/1.000894/"


def test_it_answers_a_question_without_diacritics_with_a_working_link(
    page: Any,
    live_server: Any,
    catalog: list[str],  # noqa: F811
) -> None:
    base = live_server.url
    page.goto(f"{base}/assistant/")
    page.fill("#question", "lam giay dang ky ket hon o dau")
    page.click("#ask")
    citation = f"#conversation a.citation[href='{MARRIAGE}']"
    page.wait_for_selector(citation)
    assert "Thủ tục đăng ký kết hôn" in page.inner_text("#conversation")
    assert page.input_value("#question") == ""  # ready for the next question
    assert page.input_value("#context-code") == "1.000894"  # a follow-up is about it
    page.click(citation)
    page.wait_for_url(f"{base}{MARRIAGE}")
    assert page.inner_text("h1") == "Thủ tục đăng ký kết hôn"


def test_the_chat_works_as_a_plain_form_without_javascript(
    browser: Any,
    live_server: Any,
    catalog: list[str],  # noqa: F811
) -> None:
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/assistant/")
        page.fill("#question", "dang ky tam tru can giay to gi")
        page.click("#ask")
        page.wait_for_selector("a.citation[href='/procedures/1.004194/']")
        assert "Đăng ký tạm trú" in page.inner_text("#conversation")
    finally:
        context.close()
