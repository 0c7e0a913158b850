"""The engine on a small catalog: how people type, ranking, clarifying, abstaining."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.assistant.conftest import SMALL
from xaso.assistant.engine import Decision, Engine
from xaso.assistant.engine.privacy import dossier_ref, scrub
from xaso.assistant.engine.retrieve import longest_run
from xaso.assistant.engine.segment import Segmenter
from xaso.assistant.engine.text import canonical, fold, has_diacritics, is_syllable, phrase_in, words


def top(engine: Engine, question: str) -> str | None:
    outcome = engine.ask(question)
    return None if outcome.abstained or outcome.best is None else outcome.best.code


def test_it_folds_text_and_writes_one_spelling_per_syllable() -> None:
    assert fold("ĐĂNG KÝ Khai Sinh") == "dang ky khai sinh"
    assert words("Đăng ký (mức độ 02)") == ["dang", "ki", "muc", "do", "2"]
    assert canonical("ky") == "ki" and canonical("quy") == "quy" and canonical("tay") == "tay"
    assert has_diacritics("khai sinh") is False and has_diacritics("khai sinh đâu") is True
    assert is_syllable("thuong") and not is_syllable("thuog") and not is_syllable("snh")


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Đăng ký khai sinh", "1.001193"),
        ("dang ky khai sinh", "1.001193"),
        ("lam giay khai sinh o dau", "1.001193"),
        ("làm giấy đăng ký kết hôn ở đâu", "1.000894"),
        ("dk kết hôn", "1.000894"),
        ("gks cho con", "1.001193"),
        ("xin giay xac nhan doc than", "1.004873"),
        ("dang ky tam tru", "1.004194"),
    ],
)
def test_it_reads_questions_as_people_type_them(small_engine: Engine, question: str, code: str) -> None:
    assert top(small_engine, question) == code


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("dnag ky khai snh", "1.001193"),  # letters swapped and dropped
        ("ddawng kys khai sinh", "1.001193"),  # Telex keys without an input method
        ("xac nhan tinh trang hon nhn", "1.004873"),
    ],
)
def test_it_corrects_typing_slips(small_engine: Engine, question: str, code: str) -> None:
    assert top(small_engine, question) == code


def test_it_understands_english_and_answers_in_english(small_engine: Engine) -> None:
    outcome = small_engine.ask("How do I register a marriage?")
    assert outcome.query.language == "en"
    assert outcome.best is not None and outcome.best.code == "1.000894"
    assert "steps" in outcome.query.intents
    assert small_engine.ask("how much does temporary residence registration cost").query.intents == {"fee"}


@pytest.mark.parametrize(
    ("question", "language"),
    [
        # One accented loanword or a Vietnamese name does not make an English question Vietnamese
        ("I want to register my marriage with my fiancée. What do we need?", "en"),
        ("My wife Nguyễn Thị Hoa wants to register the birth of our baby", "en"),
        # Marked words that fold to English-looking ones ("ăn", "đó", "in") stay Vietnamese
        ("Tôi muốn làm passport", "vi"),
        ("đó là giấy tờ gì, in ở đâu", "vi"),
        ("dang ky ket hon o dau", "vi"),
    ],
)
def test_it_tells_english_from_vietnamese_by_the_words_not_one_mark(
    small_engine: Engine, question: str, language: str
) -> None:
    assert small_engine.ask(question).query.language == language


def test_it_prefers_the_general_procedure_unless_the_question_names_the_special_case(
    small_engine: Engine,
) -> None:
    assert top(small_engine, "khai sinh") == "1.001193"
    assert top(small_engine, "khai sinh co yeu to nuoc ngoai") == "2.000528"
    assert top(small_engine, "khai sinh cho con Hàn Quốc") == "2.000528"
    assert top(small_engine, "dang ky khai sinh luu dong") == "1.003583"
    assert top(small_engine, "dang ky lai khai sinh") == "1.004884"
    assert top(small_engine, "mat can cuoc") == "1.014064"


def test_it_notes_what_is_asked(small_engine: Engine) -> None:
    assert small_engine.ask("khai sinh mất bao lâu").query.intents == {"time"}
    assert small_engine.ask("dang ky ket hon can giay to gi").query.intents == {"documents"}
    assert small_engine.ask("tạm trú bao nhiêu tiền").query.intents == {"fee"}
    assert "legal" in small_engine.ask("căn cứ pháp lý của đăng ký khai sinh").query.intents


def test_it_asks_which_procedure_when_two_compete(small_engine: Engine) -> None:
    outcome = small_engine.ask("làm thẻ căn cước")
    assert outcome.decision == Decision.CLARIFY
    assert {c.record.code for c in outcome.candidates[:2]} == {"1.014061", "1.014062"}


def test_an_age_decides_between_them(small_engine: Engine) -> None:
    assert top(small_engine, "làm căn cước cho con 16 tuổi") == "1.014061"
    assert top(small_engine, "lam cccd cho be 6 tuoi") == "1.014062"


def test_without_an_age_it_asks_which_age_the_procedure_is_for(small_engine: Engine) -> None:
    outcome = small_engine.ask("xin cấp thẻ căn cước")
    assert outcome.decision == Decision.CLARIFY
    assert {c.record.code for c in outcome.candidates[:2]} == {"1.014061", "1.014062"}


@pytest.mark.parametrize(
    "question",
    ["làm hộ chiếu ở đâu", "thủ tục ly hôn", "thời tiết ngày mai", "gia vang hom nay", "xin chào", "asdfgh"],
)
def test_it_says_it_does_not_know_outside_the_catalog(small_engine: Engine, question: str) -> None:
    outcome = small_engine.ask(question)
    assert outcome.abstained and not outcome.candidates


def test_a_lost_passport_is_in_the_catalog_but_a_new_one_is_not(small_engine: Engine) -> None:
    assert top(small_engine, "bị mất hộ chiếu thì báo ở đâu") == "1.010386"
    assert small_engine.ask("làm hộ chiếu ở đâu").decision == Decision.OUT_OF_SCOPE


def test_a_procedure_code_answers_about_that_procedure(small_engine: Engine) -> None:
    outcome = small_engine.ask("thủ tục 1.004194 mất bao lâu?")
    assert outcome.best is not None and outcome.best.code == "1.004194" and outcome.confidence == 1.0


def test_on_a_procedure_page_a_bare_question_is_about_that_procedure(small_engine: Engine) -> None:
    assert small_engine.ask("mất bao lâu?").abstained
    outcome = small_engine.ask("mất bao lâu?", context="1.004194")
    assert outcome.best is not None and outcome.best.code == "1.004194"
    # …but a question naming another procedure is about that one.
    assert top(small_engine, "đăng ký kết hôn") == "1.000894"
    named = small_engine.ask("đăng ký kết hôn cần gì", context="1.004194")
    assert named.best is not None and named.best.code == "1.000894"


def test_it_can_be_limited_to_a_communes_offer(small_engine: Engine) -> None:
    outcome = small_engine.ask("đăng ký khai sinh", allowed={"1.000894", "1.004194"})
    assert outcome.abstained or (outcome.best is not None and outcome.best.code != "1.001193")


def test_word_segmentation_runs_offline_with_underthesea() -> None:
    segmenter = Segmenter.from_texts(["Thủ tục đăng ký kết hôn", "Cấp Giấy xác nhận tình trạng hôn nhân"])
    assert segmenter.source == "underthesea"
    assert segmenter.compounds(["dang", "ki", "ket", "hon"]) == ["dang_ki", "ket_hon"]  # no "ki_ket"
    assert segmenter.units(["xac", "nhan", "tinh", "trang"]) == ["xac_nhan", "tinh_trang"]


def test_it_builds_the_small_index_quickly() -> None:
    assert Engine(SMALL).build_seconds < 5


def test_it_removes_personal_data_before_storing() -> None:
    text = "CCCD 046190001234, SĐT 0905 123 456, mail lan@example.com, hồ sơ 20122-250703-0001 số cuối 3456"
    clean = scrub(text)
    for secret in ("046190001234", "0905 123 456", "lan@example.com", "3456"):
        assert secret not in clean
    assert "20122-250703-0001" in clean and "[id]" in clean and "[phone]" in clean and "[check]" in clean
    assert scrub("cmnd cũ 123456789, năm 2025") == "cmnd cũ [id], năm 2025"


def test_it_finds_a_dossier_code_and_its_check_digits() -> None:
    ref = dossier_ref("hồ sơ 20122-250703-0001 của tôi đến đâu rồi? 4 số cuối 3456")
    assert ref is not None and ref.codes == ("20122-250703-0001",) and ref.check == "3456"
    assert dossier_ref("hồ sơ 20122-250703-0001 đến đâu rồi") is not None
    assert dossier_ref("thủ tục 1.001193 năm 2025") is None
    assert dossier_ref("Nghị định 123/2015/NĐ-CP, hẹn ngày 03-07-2025") is None


def test_an_out_of_scope_phrase_may_join_parts_said_anywhere() -> None:
    from xaso.assistant.engine.lexicon import _ask, says

    lost = _ask("sổ đỏ + mất")
    assert lost == ("so", "do", "+", "mat")
    assert says(tuple(words("sổ đỏ nhà tôi bị mất")), lost)
    assert says(tuple(words("mat so do roi")), lost)  # either order
    assert not says(tuple(words("sổ đỏ đứng tên ai")), lost)
    assert says(tuple(words("làm hộ chiếu")), _ask("ho chieu"))


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("chứng thực bản sao hộ chiếu", "2.000815"),  # a passport copy, not a passport
        ("Can I get certified copies of my passport here?", "2.000815"),
        ("tôi ly hôn rồi, giờ muốn đăng ký kết hôn lại", "1.000894"),  # a divorce already done
    ],
)
def test_an_out_of_scope_word_said_as_context_does_not_decline_a_catalog_request(
    small_engine: Engine, question: str, code: str
) -> None:
    outcome = small_engine.ask(question)
    assert outcome.query.out_of_scope is None  # the lexicon's `unless` words
    ranked = small_engine.ranked(outcome.query)
    assert small_engine.records[ranked[0].index].code == code


@pytest.mark.parametrize(
    "question",
    [
        "sổ đỏ bị mất, xin cấp lại",
        "mat so do roi xin cap lai o dau",
        "đổi ngoại tệ ở đâu",
        "xin nhập quốc tịch Việt Nam",
        "xin thoi quoc tich viet nam",
        "giấy chuyển tuyến lên bệnh viện tỉnh xin ở đâu",
        "đăng ký hiến máu nhân đạo",
        "kiem dich trau bo van chuyen ra ngoai tinh",
        "vay ngân hàng mua máy cày lãi suất bao nhiêu",
        "xin giấy phép xây dựng chung cư, công trình cấp I",
        "giam dinh adn cha con o dau",
        "nộp đơn yêu cầu thi hành án dân sự",
        "bị lừa đảo chuyển khoản, muốn trình báo để công an điều tra",
        "thẩm duyệt thiết kế phòng cháy chữa cháy cho nhà trọ",
    ],
)
def test_requests_the_commune_does_not_serve_are_declined_with_where_to_go(
    small_engine: Engine, question: str
) -> None:
    outcome = small_engine.ask(question)
    assert outcome.decision == Decision.OUT_OF_SCOPE
    assert outcome.query.out_of_scope is not None and outcome.query.out_of_scope.where_vi


def test_within_measures_how_much_of_the_question_one_phrase_holds(small_engine: Engine) -> None:
    query = small_engine.analyse("chứng thực bản sao")
    ranked = small_engine.ranked(query)
    assert small_engine.records[ranked[0].index].code == "2.000815"
    assert ranked[0].within == 1.0  # the whole question lies inside the name
    other = small_engine.analyse("chứng thực bản sao giấy phép karaoke")
    assert small_engine.ranked(other)[0].within < 0.7


def test_a_place_name_says_where_not_what(small_engine: Engine) -> None:
    query = small_engine.analyse("em hộ khẩu Nam Định, chồng ở Thái Bình, muốn đăng ký kết hôn")
    assert "nam" not in query.core and "thai" not in query.core
    assert top(small_engine, "em hộ khẩu Nam Định, chồng ở Thái Bình, muốn đăng ký kết hôn") == "1.000894"
    # communes of the 2025 map (vietnam-provinces), spelling slips left alone
    place = small_engine.analyse("sinh ở bệnh viện Trung ương Huế, nhà ở Quảng Điền, làm khai sinh ở đâu")
    assert "dien" not in place.core and not place.corrections
    assert ("quang", "dien") in small_engine.places and ("ha", "noi") in small_engine.places


def test_a_named_special_case_counts_against_a_procedure_only_where_a_variant_has_it(
    small_engine: Engine,
) -> None:
    retriever = small_engine.retriever
    index = small_engine.by_code
    query = small_engine.analyse("I'm British and want to register my marriage")
    assert "foreign" in query.markers
    pool = [s.index for s in retriever.pool(query)]
    asked = retriever.variants_asked(pool, query.markers)
    # the general marriage procedure has a foreign-element variant in the pool…
    assert asked[index["1.000894"]] == 1
    # …the variant itself, and a procedure with no such variant, do not count it
    assert asked[index["2.000806"]] == 0
    assert all(asked[i] == 0 for i in pool if i not in (index["1.000894"], index["1.001193"]))


def test_age_siblings_are_one_procedure_for_different_ages() -> None:
    from xaso.assistant.engine.retrieve import age_siblings

    adult, child = (
        "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên",
        "Cấp thẻ căn cước cho người dưới 14 tuổi",
    )
    assert age_siblings(adult, child) and age_siblings(child, adult)
    assert not age_siblings(adult, "Cấp lại thẻ căn cước")
    assert not age_siblings(child, child)


def _runs_by_every_pair(query: list[str], name: list[str]) -> int:
    best = 0
    for i in range(len(query)):
        for j in range(len(name)):
            k = 0
            while i + k < len(query) and j + k < len(name) and query[i + k] == name[j + k]:
                k += 1
            best = max(best, k)
    return best


@given(
    st.lists(st.sampled_from("abcd"), max_size=12),
    st.lists(st.sampled_from("abcde"), max_size=12),
)
def test_the_longest_shared_run_is_what_trying_every_pair_of_positions_finds(
    query: list[str], name: list[str]
) -> None:
    assert longest_run(query, name) == _runs_by_every_pair(query, name)
    assert longest_run(["dang", "ky", "khai", "sinh"], ["thu", "tuc", "dang", "ky", "khai", "sinh"]) == 4


@given(st.lists(st.sampled_from("abc"), max_size=10), st.lists(st.sampled_from("abc"), max_size=4))
def test_a_phrase_is_found_exactly_where_its_words_stand_together(
    tokens: list[str], phrase: list[str]
) -> None:
    n = len(phrase)
    expected = n > 0 and any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))
    assert phrase_in(tokens, tuple(phrase)) == expected
    assert phrase_in(tuple(tokens), tuple(phrase)) == expected
