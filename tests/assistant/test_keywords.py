"""Keywords (how people name a procedure) in the assistant's retrieval."""

from __future__ import annotations

import dataclasses
import json

from xaso.assistant.engine import Engine
from xaso.assistant.engine.text import english_stem
from xaso.catalog.services import KEYWORDS_PATH, shipped_keywords

from .conftest import SMALL, rec
from .test_evaluation import shipped_codes

DEATH = rec("1.000656", "Thủ tục đăng ký khai tử", results=("Trích lục khai tử",))


def engine_with(death_keywords: tuple[str, ...] = (), english: tuple[str, ...] = ()) -> Engine:
    death = dataclasses.replace(DEATH, keywords=death_keywords, keywords_en=english)
    return Engine([r for r in SMALL if r.code != DEATH.code] + [death])


def cited(engine: Engine, question: str) -> str | None:
    outcome = engine.ask(question)
    return None if outcome.abstained or outcome.best is None else outcome.best.code


def test_an_everyday_name_finds_the_procedure_only_through_its_keywords() -> None:
    question = "lo hậu sự cho bố xong thì làm giấy gì"
    assert cited(engine_with(), question) != "1.000656"
    assert cited(engine_with(("lo hậu sự xong làm giấy tờ", "báo tử người nhà")), question) == "1.000656"
    # the same without diacritics
    assert (
        cited(engine_with(("lo hậu sự xong làm giấy tờ",)), "lo hau su cho bo xong thi lam giay gi")
        == "1.000656"
    )
    # "làm giấy chứng tử" the lexicon knows (an abbreviation of "khai tử"), keywords or not
    assert cited(engine_with(), "lam giay chung tu cho bo") == "1.000656"


def test_english_keywords_are_matched_on_stems() -> None:
    engine = engine_with(english=("death certificate", "register a death"))
    assert cited(engine, "How do I get a death certificate for my father?") == "1.000656"
    assert english_stem("certificates") == english_stem("certificate") == "@certificat"
    assert english_stem("married") == english_stem("marry")
    assert english_stem("do") == "@do"  # never a Vietnamese syllable


def test_a_keyword_of_one_procedure_does_not_answer_for_another() -> None:
    engine = engine_with(("làm giấy chứng tử",))
    assert cited(engine, "đăng ký khai sinh cho con") == "1.001193"


def test_every_shipped_procedure_has_keywords_in_both_languages() -> None:
    data = json.loads(KEYWORDS_PATH.read_text(encoding="utf-8"))["procedures"]
    assert set(data) == shipped_codes()
    for code, item in data.items():
        assert len(item["vi"]) >= 3 and item["en"], code
        assert all(p.strip() == p and p for p in item["vi"] + item["en"]), code
    assert shipped_keywords()["1.001193"]["keywords"].count("\n") >= 2
