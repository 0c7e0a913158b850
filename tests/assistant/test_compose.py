"""Answers built only from catalog facts: every sentence traceable, sources cited, the
language of the question, honest refusals; officer guidance with the generic rules apart."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from xaso.assistant.compose import Place, citizen_reply, example_due, officer_reply
from xaso.assistant.engine import Engine

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_every_sentence_comes_from_a_procedure_field_and_the_answer_cites_it(small_engine: Engine) -> None:
    reply = citizen_reply(small_engine.ask("dang ky tam tru mat bao lau, bao nhieu tien"))
    assert not reply.abstained and reply.top_code == "1.004194"
    assert reply.citations[0].url == "/procedures/1.004194/"
    assert reply.citations[0].field == "Đăng ký, quản lý cư trú"
    for sentence in reply.sentences:
        assert sentence.source != "" and (sentence.code == "1.004194" or sentence.source == "assistant")
    sources = {s.source for s in reply.sentences}
    assert {"name", "channels.time", "channels.fee", "url"} <= sources
    assert "/procedures/1.004194/" in reply.answer


def test_it_answers_in_vietnamese_when_asked_in_vietnamese(small_engine: Engine, vietnamese: None) -> None:
    reply = citizen_reply(small_engine.ask("đăng ký tạm trú bao nhiêu tiền"))
    assert reply.language == "vi"
    assert "Phí, lệ phí" in reply.answer and "20.000 đồng" in reply.answer and "10.000 đồng" in reply.answer


def test_it_answers_in_english_when_asked_in_english_with_catalog_facts_unchanged(
    small_engine: Engine,
) -> None:
    reply = citizen_reply(small_engine.ask("How long does temporary residence registration take?"))
    assert reply.language == "en"
    assert "Processing time: 7 working days." in reply.answer
    assert "Đăng ký tạm trú" in reply.answer  # the catalog's own name


def test_a_question_without_a_specific_fact_gets_the_essentials(small_engine: Engine) -> None:
    reply = citizen_reply(small_engine.ask("dang ky khai sinh"))
    sources = [s.source for s in reply.sentences]
    for wanted in ("documents", "channels.time", "channels.fee", "channels"):
        assert wanted in sources
    documents = next(s.text for s in reply.sentences if s.source == "documents")
    assert "Giấy chứng sinh (1 bản chính)" in documents
    assert "bị bỏ rơi" not in documents  # a special case's paper is not in the short list


def test_it_states_the_legal_basis_when_asked(small_engine: Engine) -> None:
    reply = citizen_reply(small_engine.ask("căn cứ pháp lý của thủ tục đăng ký kết hôn"))
    legal = [s for s in reply.sentences if s.source == "legal_bases"]
    assert legal and "123/2015/NĐ-CP" in legal[0].text


def test_a_communes_offer_contacts_and_local_fees_shape_the_answer(small_engine: Engine) -> None:
    outcome = small_engine.ask("temporary residence registration fee, where to apply")
    place = Place(
        name="Xã Vinh Lộc",
        phone="0234 3000 000",
        offered=frozenset({"1.001193"}),
        local_fees={("1.004194", "in_person"): 15000},
    )
    reply = citizen_reply(outcome, place=place)
    assert reply.language == "en" and "15,000 VND" in reply.answer
    assert any(s.source == "offer" and "does not receive" in s.text for s in reply.sentences)


def test_it_says_plainly_when_it_does_not_know_and_where_to_go(
    small_engine: Engine, vietnamese: None
) -> None:
    place = Place(name="Xã Vinh Lộc", address="Thôn 1", phone="0234 3000 000", email="")
    reply = citizen_reply(small_engine.ask("xin giấy phép hành nghề karaoke"), place=place)
    assert reply.abstained and not reply.citations
    assert "Xã Vinh Lộc (Thôn 1, 0234 3000 000)" in reply.answer
    unknown = citizen_reply(
        small_engine.ask("con tôi bị sốt cao phải làm sao"), place=Place(name="Xã Phú Vang")
    )
    assert unknown.abstained and "chưa tìm thấy thủ tục" in unknown.answer
    assert "Trung tâm Phục vụ hành chính công Xã Phú Vang: cán bộ sẽ hướng dẫn" in unknown.answer
    passport = citizen_reply(small_engine.ask("làm hộ chiếu ở đâu"))
    assert passport.abstained and "Công an tỉnh" in passport.answer  # the competent level
    assert "Trung tâm Phục vụ hành chính công của xã, phường" in passport.answer
    english = citizen_reply(small_engine.ask("Where can I get a passport?"))
    assert english.abstained and "Immigration Department" in english.answer


def test_a_clarifying_question_cites_both_procedures(small_engine: Engine) -> None:
    reply = citizen_reply(small_engine.ask("làm thẻ căn cước"))
    assert reply.follow_up is not None and not reply.abstained
    assert {c.code for c in reply.options} == {"1.014061", "1.014062"}


@pytest.mark.django_db
def test_officer_guidance_puts_catalog_facts_first_and_generic_rules_apart(small_engine: Engine) -> None:
    friday = dt.datetime(2026, 3, 6, 15, 30, tzinfo=VN)
    reply = officer_reply(small_engine.ask("birth registration"), now=friday)
    sources = [s.source for s in reply.sentences]
    first_rule = sources.index("rules.heading")
    assert all(not s.startswith("rules.") for s in sources[:first_rule])
    assert all(s.startswith("rules.") for s in sources[first_rule:])
    assert {"applicants", "documents", "channels.time", "channels.fee", "legal_bases"} <= set(
        sources[:first_rule]
    )
    text = reply.answer
    for form in ("form 01", "form 02", "form 03", "form 04", "form 05", "form 06", "15:00"):
        assert form in text
    assert all(
        s.code is None
        for s in reply.sentences
        if s.source.startswith("rules.") and s.source != "rules.example"
    )
    # A same-day procedure received on Friday after 15:00 is due on Monday.
    assert "09/03/2026" in text


@pytest.mark.django_db
def test_the_example_deadline_follows_the_working_day_calendar(small_engine: Engine) -> None:
    record = small_engine.record("1.004194")
    assert record is not None
    received, due = example_due(record, now=dt.datetime(2026, 3, 6, 9, 0, tzinfo=VN)) or (None, None)
    assert received is not None and due is not None
    assert due.date() == dt.date(2026, 3, 17)  # 7 working days, weekends skipped
