"""Tests for the portal-record parser (``xaso.catalog.parsing``).

The field strings below are copied from records of the National Public Service
Portal (dichvucong.gov.vn); each test names the procedure code it comes from.
Long fields are cut to the part the test needs (marked "excerpt").  Nothing
here reads files: the parser is pure Python and needs no database.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xaso.catalog.parsing import (
    CHANNEL_HEADER,
    DOCUMENT_HEADER,
    LEGAL_HEADER,
    Channel,
    ParsedProcedure,
    RecordError,
    parse_record,
)

H = CHANNEL_HEADER  # "Hình thức nộpThời gianPhí, lệ phíMô tả"
D = DOCUMENT_HEADER  # "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
L = LEGAL_HEADER  # "Tên văn bản pháp lýMã văn bản"
FURNITURE = (
    "Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành"
    "-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ thống chỉ hiển thị những cơ quan "
    "đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ"
)


def record(code: str = "1.000000", name: str = "Thủ tục thử", **fields: object) -> dict[str, object]:
    return {"ma_thu_tuc": code, "ten_thu_tuc": name, **fields}


def channel(parsed: ParsedProcedure, kind: str) -> Channel:
    matches = [c for c in parsed.channels if c.kind == kind]
    assert len(matches) == 1, parsed.channels
    return matches[0]


# --- 1.004222 Đăng ký thường trú -------------------------------------------------

RESIDENCE_CHANNELS = (
    H + "Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(Trường hợp công dân nộp hồ sơ qua cổng dịch vụ "
    "công trực tuyến thu 10.000 đồng/lần đăng ký.)Trực tiếp7 Ngày làm việc20,000 Việt Nam Đồng"
    "(Trường hợp công dân thuộc diện được miễn phí theo quy định tại Điều 4 Thông tư số 75/2022/TT-BTC "
    "ngày 22/12/2022 quy định mức thu, chế độ thu, nộp và quản lý lệ phí đăng ký cư trú được sửa đổi, "
    "bổ sung tại Thông tư số 71/2025/TT-BTC ngày 01/7/2025 của Bộ Tài chính thì công dân phải xuất "
    "trình giấy tờ chứng minh thuộc diện được miễn trừ trường hợp thông tin đã có trong Cơ sở dữ liệu "
    "quốc gia về dân cư hoặc Cơ sở dữ liệu quốc gia, cơ sở)"
)


def test_it_parses_permanent_residence_fees_and_times() -> None:
    # 1.004222
    parsed = parse_record(record("1.004222", "Đăng ký thường trú", cach_thuc_thuc_hien=RESIDENCE_CHANNELS))
    in_person = channel(parsed, "in_person")
    online = channel(parsed, "online")
    assert (in_person.time_value, in_person.time_unit) == (Decimal(7), "working_days")
    assert (online.time_value, online.time_unit) == (Decimal(7), "working_days")
    assert in_person.fee_amount_vnd == 20000
    assert online.fee_amount_vnd == 10000
    assert online.fee_per_unit == "lần đăng ký"
    assert not in_person.fee_exempt
    assert in_person.time_text == "7 Ngày làm việc"
    assert in_person.fee_text.startswith("20,000 Việt Nam Đồng(Trường hợp công dân thuộc diện")
    assert not parsed.needs_review


def test_it_reads_a_per_page_fee_and_a_fee_in_dollars() -> None:
    # 2.000815 Chứng thực bản sao từ bản chính ...
    text = (
        H + "Trực tiếpKhông có thông tin2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã, Tổ chức "
        "hành nghề công chứng: 2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa "
        "thu không quá 200.000 đồng/bản. Trang là căn cứ để thu phí được tính theo trang của bản chính;"
        "Trực tiếpKhông có thông tin10 USD(/bản)Tại cơ quan đại diện: 10 USD/bản."
    )
    parsed = parse_record(record("2.000815", cach_thuc_thuc_hien=text))
    commune, consulate = parsed.channels
    assert commune.fee_amount_vnd == 2000
    assert commune.fee_per_unit == "trang"
    assert commune.time_value is None
    assert commune.time_text == "Không có thông tin"
    assert commune.description.startswith("Tại Ủy ban nhân dân cấp xã")
    assert consulate.fee_amount_vnd is None
    assert (consulate.fee_amount, consulate.fee_currency, consulate.fee_per_unit) == (
        Decimal(10),
        "USD",
        "bản",
    )
    assert not parsed.needs_review


# --- 1.001193 Đăng ký khai sinh ---------------------------------------------------

BIRTH_DOCUMENTS = (  # excerpt
    "* Giấy tờ phải nộp:" + D + "- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ "
    "rơi do cơ quan có thẩm quyền lập.1 bản chính- Giấy chứng sinh; trường hợp không có Giấy chứng sinh "
    "thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có "
    "giấy cam đoan về việc sinh.1 bản chính* Giấy tờ phải xuất trình:" + D + "- Hộ chiếu/Thẻ căn cước "
    "công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước hoặc các giấy tờ khác có dán ảnh và "
    "thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử dụng (sau đây gọi tắt là giấy tờ tùy "
    "thân) để chứng minh về nhân thân khi làm thủ tục trực tiếp tại cơ quan đăng ký hộ tịch.1 bản chính"
    "--" + D + "- Tờ khai đăng ký khai sinh theo mẫu  (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình "
    "thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính);1 bản chính"
)


def test_it_parses_birth_registration_channels_and_documents() -> None:
    # 1.001193
    parsed = parse_record(
        record(
            "1.001193",
            "Đăng ký khai sinh",
            cach_thuc_thuc_hien=H + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí",
            thanh_phan_ho_so=BIRTH_DOCUMENTS,
        )
    )
    assert [c.kind for c in parsed.channels] == ["online", "postal", "in_person"]
    for item in parsed.channels:
        assert (item.time_value, item.time_unit, item.time_text) == (Decimal(1), "unknown", "1")
        assert (item.fee_amount_vnd, item.fee_exempt) == (0, True)
    assert [d.case for d in parsed.documents] == [
        "* Giấy tờ phải nộp:",
        "* Giấy tờ phải nộp:",
        "* Giấy tờ phải xuất trình:",
        "",
    ]
    first = parsed.documents[0]
    assert first.name.startswith("Trường hợp trẻ em bị bỏ rơi")
    assert (first.quantity, first.original_or_copy, first.quantity_text) == (1, "original", "1 bản chính")
    assert not parsed.needs_review


# --- channel table shapes ---------------------------------------------------------


def test_it_keeps_a_bare_time_number_with_unknown_unit() -> None:
    # 1.001266 Chấm dứt hoạt động hộ kinh doanh: "1" with no unit, fee left to the province
    text = H + "Trực tuyến1Miễn phí(Mức lệ phí (nếu có) theo quy định của Hội đồng nhân dân cấp tỉnh.)"
    parsed = parse_record(record("1.001266", cach_thuc_thuc_hien=text))
    (online,) = parsed.channels
    assert (online.time_value, online.time_unit) == (Decimal(1), "unknown")
    assert online.fee_exempt and online.fee_set_locally
    assert online.fee_text == "Miễn phí(Mức lệ phí (nếu có) theo quy định của Hội đồng nhân dân cấp tỉnh.)"
    assert online.description == ""


def test_it_splits_a_bare_time_glued_to_the_amount() -> None:
    # 1.007895 (customs): the time cell "1" runs into the fee cell "20 VNĐ"
    parsed = parse_record(record("1.007895", cach_thuc_thuc_hien=H + "Trực tiếp120 VNĐ"))
    (in_person,) = parsed.channels
    assert (in_person.time_text, in_person.time_value) == ("1", Decimal(1))
    assert (in_person.fee_amount_vnd, in_person.fee_text) == (20, "20 VNĐ")


def test_it_reads_free_fees_hours_and_days() -> None:
    # 1.009056 ("1 GiờMiễn phí"), 1.011609 ("15 NgàyMiễn phí"), 1.003930 (70,000 VNĐ)
    text = (
        H + "Trực tuyến1 GiờMiễn phíTrực tiếp15 NgàyMiễn phíDịch vụ bưu chính2 Ngày làm việc"
        "70,000 VNĐ(70.000 đồng/Giấy chứng nhận)"
    )
    online, in_person, postal = parse_record(record(cach_thuc_thuc_hien=text)).channels
    assert (online.time_value, online.time_unit, online.fee_amount_vnd) == (Decimal(1), "hours", 0)
    assert (in_person.time_value, in_person.time_unit) == (Decimal(15), "days")
    assert (postal.fee_amount_vnd, postal.fee_per_unit) == (70000, "giấy chứng nhận")


def test_it_does_not_split_rows_on_channel_words_in_descriptions() -> None:
    # 3.000494 Phục hồi hoạt động ...: descriptions mention "Trực tiếp: nộp hồ sơ ..."
    description = (
        "- Trực tiếp: nộp hồ sơ trực tiếp tại Bộ phận Một cửa thuộc Phòng Cảnh sát phòng cháy, chữa cháy "
        "và cứu nạn, cứu hộ Công an cấp tỉnh, thành phố; Ủy ban nhân dân cấp xã. - Dịch vụ bưu chính công "
        "ích: nộp hồ sơ qua dịch vụ bưu chính công ích. - Trực tuyến: nộp hồ sơ tại Cổng Dịch vụ Công."
    )
    text = H + "Trực tuyến7 Ngày làm việcMiễn phí" + description + "Trực tiếp7 Ngày làm việcMiễn phí"
    online, in_person = parse_record(record("3.000494", cach_thuc_thuc_hien=text)).channels
    assert online.description == description
    assert in_person.kind == "in_person"


def test_it_keeps_an_unparsable_time_verbatim() -> None:
    # 1.009824 Thông báo địa điểm kinh doanh ...: the time cell is a sentence
    time_text = (
        "Hệ thống giải quyết thủ tục hành chính ngành Thuế thực hiện phản hồi tự động thông qua "
        "phương thức điện tử."
    )
    text = (
        H + "Trực tiếp" + time_text + "Không có thông tinTại Trung tâm phục vụ hành chính công cấp tỉnh, xã"
    )
    parsed = parse_record(record("1.009824", cach_thuc_thuc_hien=text))
    (in_person,) = parsed.channels
    assert in_person.time_text == time_text
    assert in_person.time_value is None
    assert in_person.description == "Tại Trung tâm phục vụ hành chính công cấp tỉnh, xã"
    assert parsed.needs_review
    assert [(p.field, p.text) for p in parsed.unparsed] == [("cach_thuc_thuc_hien", time_text)]


def test_it_keeps_a_channel_table_without_header_verbatim() -> None:
    text = "Nộp trực tiếp tại Ủy ban nhân dân cấp xã, 5 ngày làm việc"
    parsed = parse_record(record(cach_thuc_thuc_hien=text))
    assert parsed.channels == ()
    assert [(p.field, p.text) for p in parsed.unparsed] == [("cach_thuc_thuc_hien", text)]


# --- documents ---------------------------------------------------------------------


def test_it_parses_a_single_unnamed_table() -> None:
    # 1.009071
    parsed = parse_record(record("1.009071", thanh_phan_ho_so="--" + D + "Phiếu xuất kho1 bản chính"))
    (only,) = parsed.documents
    assert (only.name, only.template, only.quantity, only.case) == ("Phiếu xuất kho", "", 1, "")
    assert parsed.document_notes == ()


def test_it_separates_the_form_template_and_original_or_copy() -> None:
    # 1.007690
    text = (
        "--" + D + "Tờ khai thuế năm (Mẫu số 01/TKN-CNKD Thông tư số 50/2026/TT-BTC)01 TKN-CNKD.docx"
        "1 bản chính,1 bản sao"
    )
    (only,) = parse_record(record("1.007690", thanh_phan_ho_so=text)).documents
    assert only.name == "Tờ khai thuế năm (Mẫu số 01/TKN-CNKD Thông tư số 50/2026/TT-BTC)"
    assert only.template == "01 TKN-CNKD.docx"
    assert (only.quantity, only.original_or_copy) == (1, "original_or_copy")


def test_it_keeps_a_count_inside_the_document_name() -> None:
    # 1.007659 (excerpt): "...: 01 bản chính" ends the name, "1 bản chính" is the quantity cell
    text = (
        "--" + D + "Danh mục hàng hóa nhập khẩu trực tiếp phục vụ cứu trợ khẩn cấp: 01 bản chính1 bản chính"
        "Văn bản xác nhận của cơ quan khoa học và công nghệ: 01 bản chụp0 bản chính,1 bản sao"
    )
    first, second = parse_record(record(thanh_phan_ho_so=text)).documents
    assert first.name.endswith("khẩn cấp: 01 bản chính")
    assert first.quantity_text == "1 bản chính"
    assert (second.quantity, second.original_or_copy) == (1, "copy")


def test_it_groups_documents_by_case_heading() -> None:
    # 1.004222 (excerpt): headings that are not "Trường hợp ..." still open a case
    first_case = "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình"
    second_case = (
        "Người được chăm sóc, nuôi dưỡng, trợ giúp được đăng ký thường trú tại cơ sở trợ giúp xã hội hoặc "
        "được đăng ký thường trú vào hộ gia đình nhận chăm sóc, nuôi dưỡng, trợ giúp"
    )
    text = (
        first_case
        + D
        + "Giấy chứng nhận đăng ký phương tiện và giấy chứng nhận an toàn kỹ thuật.1 bản chính"
        + second_case
        + D
        + "Giấy tờ, tài liệu xác nhận về việc chăm sóc, nuôi dưỡng, trợ giúp.1 bản chính"
        "Văn bản đề nghị của người đứng đầu cơ sở trợ giúp xã hội.1 bản chính"
    )
    documents = parse_record(record("1.004222", thanh_phan_ho_so=text)).documents
    assert [d.case for d in documents] == [first_case, second_case, second_case]


def test_it_keeps_the_heading_of_a_single_table_as_a_note() -> None:
    # 1.001521 (excerpt, as repaired from raw_text)
    note = "Trường hợp không quy định là bản chính thì có thể nộp bản sao hợp lệ."
    text = note + D + "7. Hóa đơn, chứng từ thu phí giám định.1 bản chính"
    parsed = parse_record(record("1.001521", thanh_phan_ho_so=text))
    assert parsed.documents[0].case == ""
    assert parsed.document_notes == (note,)


def test_it_keeps_text_after_the_last_document_verbatim() -> None:
    tail = "Lưu ý: nộp kèm bản dịch có chứng thực nếu giấy tờ bằng tiếng nước ngoài"
    parsed = parse_record(record(thanh_phan_ho_so="--" + D + "Đơn đề nghị1 bản chính" + tail))
    assert len(parsed.documents) == 1
    assert [(p.field, p.text) for p in parsed.unparsed] == [("thanh_phan_ho_so", tail)]


# --- legal bases -------------------------------------------------------------------


def test_it_splits_legal_bases_glued_to_their_numbers() -> None:
    # 1.004222 and 1.001193 (excerpts)
    text = (
        L + "Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an sửa đổi, bổ sung một số điều."
        "53/2025/TT-BCA"
        "Luật Cư trú 202068/2020/QH14Thông tư 57/2021/TT-BCA57/2021/TT-BCA"
        "Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm66.7/2025/NQ-CP"
        "Luật 60/2014/QH1360/2014/QH13"
    )
    parsed = parse_record(record(can_cu_phap_ly=text))
    assert [b.number for b in parsed.legal_bases] == [
        "53/2025/TT-BCA",
        "68/2020/QH14",
        "57/2021/TT-BCA",
        "66.7/2025/NQ-CP",
        "60/2014/QH13",
    ]
    assert parsed.legal_bases[1].title == "Luật Cư trú 2020"
    assert parsed.legal_bases[4].title == "Luật 60/2014/QH13"
    assert not parsed.needs_review


def test_it_keeps_a_legal_title_without_number_verbatim() -> None:
    # 1.012766 (excerpt): the number cell is cut short
    tail = "Luật số 58/2024/QH15 của Quốc hội: Luật Đầu tư côngLuật số 58"
    parsed = parse_record(record(can_cu_phap_ly=L + "Luật Đất đai31/2024/QH15" + tail))
    assert [b.number for b in parsed.legal_bases] == ["31/2024/QH15"]
    assert [(p.field, p.text) for p in parsed.unparsed] == [("can_cu_phap_ly", tail)]


def test_it_reads_no_information_as_nothing() -> None:
    parsed = parse_record(
        record(
            can_cu_phap_ly="Không có thông tin",
            yeu_cau_dieu_kien="Không có thông tin",
            co_quan_co_tham_quyen="",
        )
    )
    assert parsed.legal_bases == ()
    assert parsed.conditions == ""
    assert not parsed.needs_review


# --- results, furniture, steps, other fields ---------------------------------------


def test_it_strips_page_furniture_from_results() -> None:
    # 1.004222 (excerpt)
    text = (
        "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cưMã: KQ.G01.000064Thông báo kết quả giải "
        "quyết thủ tục về cư trú, hủy bỏ thủ tục về cư trúMã: KQ.G01.000065" + FURNITURE
    )
    parsed = parse_record(record("1.004222", ket_qua_xu_ly=text))
    assert parsed.results == (
        "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư",
        "Thông báo kết quả giải quyết thủ tục về cư trú, hủy bỏ thủ tục về cư trú",
    )
    assert parsed.result_codes == ("KQ.G01.000064", "KQ.G01.000065")


def test_it_strips_furniture_that_leaked_into_conditions() -> None:
    # 1.000014: no result section, so the furniture follows the conditions
    text = "Không có thông tinTừ khóaKhông có thông tinMô tảKhông có thông tin"
    assert parse_record(record("1.000014", yeu_cau_dieu_kien=text)).conditions == ""


def test_it_splits_steps_on_step_markers() -> None:
    # 1.004222 (excerpt)
    text = (
        "Bước 1: Cá nhân, tổ chức chuẩn bị hồ sơ theo quy định của pháp luật.\n Bước 2: Cá nhân, tổ chức "
        "nộp hồ sơ đến Công an cấp xã.\n- Trường hợp hồ sơ đủ điều kiện thì tiếp nhận.\t\n\tBước 3: Cá "
        "nhân, tổ chức nộp lệ phí đăng ký thường trú theo quy định."
    )
    parsed = parse_record(record(trinh_tu_thuc_hien=text))
    assert parsed.steps == (
        "Bước 1: Cá nhân, tổ chức chuẩn bị hồ sơ theo quy định của pháp luật.",
        "Bước 2: Cá nhân, tổ chức nộp hồ sơ đến Công an cấp xã. "
        "- Trường hợp hồ sơ đủ điều kiện thì tiếp nhận.",
        "Bước 3: Cá nhân, tổ chức nộp lệ phí đăng ký thường trú theo quy định.",
    )
    assert parsed.steps_text == text


def test_it_splits_unnumbered_steps_on_lines() -> None:
    text = "- Nộp hồ sơ tại Ủy ban nhân dân cấp xã.\n\n- Nhận kết quả."
    assert parse_record(record(trinh_tu_thuc_hien=text)).steps == (
        "- Nộp hồ sơ tại Ủy ban nhân dân cấp xã.",
        "- Nhận kết quả.",
    )


def test_it_reads_the_plain_fields() -> None:
    # 1.004222
    parsed = parse_record(
        record(
            "1.004222",
            "Đăng ký thường trú",
            detail_url="https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-7704-7449-9e95-fe7ebb959aa2",
            so_quyet_dinh="1523/QĐ-BCA-C06",
            cap_thuc_hien="Cấp bộ, Cấp tỉnh, Cấp xã",
            loai_thu_tuc="TTHC được giao luật quy định chi tiết",
            linh_vuc="Đăng ký, quản lý cư trú",
            doi_tuong_thuc_hien="Người Việt Nam định cư ở nước ngoài, Công dân Việt Nam",
            co_quan_co_tham_quyen="Công an cấp Xã",
            co_quan_thuc_hien="Công an cấp Xã",
        )
    )
    assert parsed.levels == ("Cấp bộ", "Cấp tỉnh", "Cấp xã")
    assert parsed.field == "Đăng ký, quản lý cư trú"
    assert parsed.decision_number == "1523/QĐ-BCA-C06"
    assert parsed.competent_authority == "Công an cấp Xã"
    assert parsed.source_url.endswith("019d2bf7-7704-7449-9e95-fe7ebb959aa2")
    assert parsed.online_level == ""


@pytest.mark.parametrize(
    ("name", "level"),
    [
        # 1.013080, 1.013079
        (
            "Cấp lại chứng nhận đăng ký xe, biển số xe thực hiện bằng dịch vụ công trực tuyến toàn trình",
            "full",
        ),
        (
            "Đổi chứng nhận đăng ký xe, biển số xe bằng dịch vụ công trực tuyến một phần hoặc trực tiếp",
            "partial",
        ),
    ],
)
def test_it_reads_the_online_level_from_the_name(name: str, level: str) -> None:
    assert parse_record(record(name=name)).online_level == level


def test_it_repairs_garbled_sections_from_raw_text() -> None:
    # 1.001521 (excerpt): the scraper cut the steps at "(Thành phần hồ sơ)" inside them
    steps = (
        "Bước 1. Lập, nộp hồ sơ NLĐ lập hồ sơ theo quy định tại mục 5.3 (Thành phần hồ sơ); nộp hồ sơ cho "
        "cơ quan BHXH.\nBước 2. Cơ quan BHXH tiếp nhận hồ sơ và giải quyết theo quy định."
    )
    documents = "--" + D + "Biên bản giám định lại mức suy giảm KNLĐ.1 bản chính"
    raw = (
        "Trình Tự Thực Hiện" + steps + "Cách Thức Thực Hiện" + H + "Trực tiếp6 Ngày làm việcMiễn phí"
        "Thành phần hồ sơ" + documents + "Căn cứ pháp lý" + L + "Luật 84/2015/QH1384/2015/QH13"
        "Cơ quan thực hiệnBảo hiểm xã hội cấp TỉnhYêu cầu, điều kiện thực hiệnKhông có thông tin"
        "Kết quả xử lýTiền trợ cấpMã: KQ.G24.000053" + FURNITURE
    )
    parsed = parse_record(
        record(
            "1.001521",
            trinh_tu_thuc_hien="Bước 1. Lập, nộp hồ sơ NLĐ lập hồ sơ theo quy định tại mục 5.3 (",
            cach_thuc_thuc_hien=H + "Trực tiếp6 Ngày làm việcMiễn phí",
            thanh_phan_ho_so="); nộp hồ sơ cho cơ quan BHXH.\nBước 2. Cơ quan BHXH tiếp nhận hồ sơ và giải "
            "quyết theo quy định.",
            can_cu_phap_ly=L + "Luật 84/2015/QH1384/2015/QH13",
            yeu_cau_dieu_kien="Không có thông tin",
            ket_qua_xu_ly="Tiền trợ cấpMã: KQ.G24.000053" + FURNITURE,
            raw_text=raw,
        )
    )
    assert parsed.repaired_fields == ("trinh_tu_thuc_hien", "thanh_phan_ho_so")
    assert parsed.steps_text == steps
    assert len(parsed.steps) == 2
    assert [d.name for d in parsed.documents] == ["Biên bản giám định lại mức suy giảm KNLĐ."]
    assert parsed.results == ("Tiền trợ cấp",)


def test_it_never_overrides_a_hand_edited_field_from_raw_text() -> None:
    raw = "Trình Tự Thực HiệnBước 1. Nộp hồ sơ.Cách Thức Thực Hiện" + H
    parsed = parse_record(record(trinh_tu_thuc_hien="Bước 1. Nộp hồ sơ trực tuyến.", raw_text=raw))
    assert parsed.steps_text == "Bước 1. Nộp hồ sơ trực tuyến."
    assert parsed.repaired_fields == ()


# --- malformed records -------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (["1.000000"], "record: expected a dict"),
        ({"ten_thu_tuc": "Thủ tục"}, "ma_thu_tuc: missing"),
        ({"ma_thu_tuc": "1.000000"}, "ten_thu_tuc: missing"),
        ({"ma_thu_tuc": 1000000, "ten_thu_tuc": "Thủ tục"}, "ma_thu_tuc: expected a string, got int"),
        ({"ma_thu_tuc": "1.000000", "ten_thu_tuc": "  "}, "ten_thu_tuc: must not be empty"),
        (
            {"ma_thu_tuc": "1.000000", "ten_thu_tuc": "Thủ tục", "cach_thuc_thuc_hien": ["Trực tiếp"]},
            "cach_thuc_thuc_hien: expected a string, got list",
        ),
    ],
)
def test_it_rejects_malformed_records(bad: object, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        parse_record(bad)  # type: ignore[arg-type]


def test_it_treats_missing_and_null_optional_fields_as_empty() -> None:
    parsed = parse_record(record(linh_vuc=None))
    assert (parsed.field, parsed.channels, parsed.documents, parsed.unparsed) == ("", (), (), ())


# --- property: no crash, no lost text ----------------------------------------------

LABELS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "postal": "Dịch vụ bưu chính"}
FRAGMENTS = [
    H,
    D,
    L,
    "Trực tiếp",
    "Trực tuyến",
    "Dịch vụ bưu chính",
    "7 Ngày làm việc",
    "1",
    "2 Giờ",
    "15 Ngày",
    "Miễn phí",
    "Không có thông tin",
    "20,000 Việt Nam Đồng",
    "120 VNĐ",
    "10 USD",
    "(/trang)",
    "(Mức lệ phí do Hội đồng nhân dân tỉnh quyết định)",
    "1 bản chính",
    "0 bản chính,1 bản sao",
    "01 bản chụp",
    "Mẫu số 01.docx",
    "Trường hợp ủy quyền:",
    "--",
    "Luật Cư trú 2020",
    "68/2020/QH14",
    "Nghị định 08/2015/NĐ-CP",
    "Thông tư",
    "Bước 1:",
    "(",
    ")",
    ".",
    "; ",
    " ",
    "\n",
]
pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
noise = st.lists(pieces, max_size=14).map("".join)
words = st.lists(
    st.one_of(pieces, st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÁÀẢÃẠ .", max_size=20)), max_size=4
).map("".join)
channel_row = st.tuples(
    st.sampled_from(["Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính"]),
    st.sampled_from(["7 Ngày làm việc", "1", "2 Giờ", "Không có thông tin", "", "Không quy định", "3 Tuần"]),
    st.sampled_from(
        ["Miễn phí", "20,000 Việt Nam Đồng", "2,000 Việt Nam Đồng(/trang)", "20 VNĐ", "10 USD", ""]
    ),
    words,
).map("".join)
document_row = st.tuples(
    words,
    st.sampled_from(["", "Mẫu số 01.docx", "Mus02.docx"]),
    st.sampled_from(["1 bản chính", "0 bản chính,1 bản sao", "1 bản chụp", ""]),
).map("".join)
legal_row = st.tuples(words, st.sampled_from(["68/2020/QH14", "08/2015/NĐ-CP", "66.7/2025/NQ-CP", ""])).map(
    "".join
)
channel_text = st.one_of(
    noise, st.builds(lambda rows, pre: H + pre + "".join(rows), st.lists(channel_row, max_size=4), words)
)
document_text = st.one_of(
    noise,
    st.lists(
        st.builds(lambda head, rows: head + D + "".join(rows), words, st.lists(document_row, max_size=3)),
        max_size=3,
    ).map("".join),
)
legal_text = st.one_of(noise, st.lists(legal_row, max_size=4).map(lambda rows: L + "".join(rows)))


def letters(text: str) -> Counter[str]:
    return Counter(char for char in text if char.isalnum())


def lost(source: str, kept: str) -> Counter[str]:
    """Letters and digits of ``source`` missing from ``kept``."""
    if source.strip().rstrip(".") == "Không có thông tin":
        return Counter()
    return letters(source) - letters(kept)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(channels=channel_text, documents=document_text, legal=legal_text, other=noise)
def test_it_never_crashes_or_loses_table_text(channels: str, documents: str, legal: str, other: str) -> None:
    parsed = parse_record(
        record(
            cach_thuc_thuc_hien=channels,
            thanh_phan_ho_so=documents,
            can_cu_phap_ly=legal,
            trinh_tu_thuc_hien=other,
            ket_qua_xu_ly=other,
            yeu_cau_dieu_kien=other,
        )
    )

    def leftovers(key: str) -> str:
        return "".join(piece.text for piece in parsed.unparsed if piece.field == key)

    kept_channels = "".join(
        LABELS[c.kind] + c.time_text + c.fee_text + c.description for c in parsed.channels
    )
    assert not lost(channels.replace(H, "", 1), kept_channels + leftovers("cach_thuc_thuc_hien"))

    kept_documents = "".join(
        d.case + d.name + d.template + d.quantity_text for d in parsed.documents
    ) + "".join(parsed.document_notes)
    assert not lost(documents.replace(D, ""), kept_documents + leftovers("thanh_phan_ho_so"))

    kept_legal = "".join(b.title + b.number for b in parsed.legal_bases)
    assert not lost(legal.replace(L, "", 1), kept_legal + leftovers("can_cu_phap_ly"))

    assert not lost(other, " ".join(parsed.steps))


@given(
    value=st.one_of(
        st.none(), st.integers(), st.text(), st.lists(st.text()), st.dictionaries(st.text(), st.text())
    )
)
def test_it_raises_only_record_errors_on_odd_values(value: object) -> None:
    try:
        parse_record({"ma_thu_tuc": "1.000000", "ten_thu_tuc": value, "cach_thuc_thuc_hien": value})
    except RecordError:
        pass
