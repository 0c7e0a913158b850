"""The importer: every file shape, idempotency, versions, and malformed input."""

from __future__ import annotations

import copy
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from xaso.audit.models import AuditEvent
from xaso.catalog.models import Procedure, ProcedureVersion
from xaso.catalog.selectors import catalog_quality_report
from xaso.catalog.services import import_procedures, shipped_keywords
from xaso.lib.text import fold

# Trimmed from the national record of 1.004222 (Đăng ký thường trú), dichvucong.gov.vn, 2025.
RECORD: dict[str, Any] = {
    "ma_thu_tuc": "1.004222",
    "detail_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-7704-7449-9e95-fe7ebb959aa2",
    "ten_thu_tuc": "Đăng ký thường trú",
    "so_quyet_dinh": "1523/QĐ-BCA-C06",
    "cap_thuc_hien": "Cấp xã",
    "loai_thu_tuc": "TTHC được giao luật quy định chi tiết",
    "linh_vuc": "Đăng ký, quản lý cư trú",
    "doi_tuong_thuc_hien": "Người Việt Nam định cư ở nước ngoài, Công dân Việt Nam",
    "co_quan_co_tham_quyen": "Công an cấp Xã",
    "co_quan_thuc_hien": "Công an cấp Xã",
    "trinh_tu_thuc_hien": "Bước 1: Cá nhân, tổ chức chuẩn bị hồ sơ.\nBước 2: Nộp hồ sơ đến Công an cấp xã.",
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7 Ngày làm việc10,000 Việt Nam Đồng"
        "(Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 10.000 đồng/lần đăng ký.)"
        "Trực tiếp7 Ngày làm việc20,000 Việt Nam Đồng"
    ),
    "thanh_phan_ho_so": (
        "Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai thay đổi thông tin cư trú.CT01.docx1 bản chính"
    ),
    "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật Cư trú 202068/2020/QH14",
    "yeu_cau_dieu_kien": "Không có thông tin",
    "ket_qua_xu_ly": "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cưMã: KQ.G01.000064"
    "Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiện",
}


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _other(code: str, name: str) -> dict[str, Any]:
    record = copy.deepcopy(RECORD)
    record["ma_thu_tuc"], record["ten_thu_tuc"] = code, name
    return record


@pytest.mark.django_db
def test_it_imports_a_single_record_file(tmp_path: Path) -> None:
    summary = import_procedures([_write(tmp_path / "one.json", RECORD)])
    assert (summary.created, summary.errors) == (1, [])
    proc = Procedure.objects.get(code="1.004222")
    assert proc.field == "Đăng ký, quản lý cư trú"
    assert [c.kind for c in proc.channels.all()] == ["online", "in_person"]
    assert proc.legal_bases.get().number == "68/2020/QH14"
    assert proc.documents.count() == 1
    assert AuditEvent.objects.filter(action="procedure.imported", object_id=str(proc.pk)).exists()


@pytest.mark.django_db
def test_it_imports_folders_lists_bundles_and_gzip(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    _write(folder / "a.json", RECORD)
    _write(tmp_path / "list.json", [_other("9.000001", "Thủ tục thử một")])
    (tmp_path / "bundle.json.gz").write_bytes(
        gzip.compress(
            json.dumps({"source": "test", "records": [_other("9.000002", "Thủ tục thử hai")]}).encode()
        )
    )
    summary = import_procedures([folder, tmp_path / "list.json", tmp_path / "bundle.json.gz"])
    assert summary.created == 3 and not summary.errors


@pytest.mark.django_db
def test_it_changes_nothing_on_reimport(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.json", RECORD)
    import_procedures([path])
    events = AuditEvent.objects.count()
    summary = import_procedures([path])
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
    assert AuditEvent.objects.count() == events
    assert Procedure.objects.get().version == 1


@pytest.mark.django_db
def test_it_keeps_the_old_version_and_what_changed(tmp_path: Path) -> None:
    import_procedures([_write(tmp_path / "v1.json", RECORD)])
    changed = copy.deepcopy(RECORD)
    changed["cach_thuc_thuc_hien"] = changed["cach_thuc_thuc_hien"].replace("20,000", "25,000")
    summary = import_procedures([_write(tmp_path / "v2.json", changed)])
    assert summary.updated == 1
    proc = Procedure.objects.get()
    assert proc.version == 2
    old = ProcedureVersion.objects.get(procedure=proc)
    assert old.version == 1 and old.changed_fields == ["channels"]
    assert [c["fee_amount_vnd"] for c in old.snapshot["channels"]] == [10000, 20000]
    assert proc.channels.get(kind="in_person").fee_amount_vnd == 25000


@pytest.mark.django_db
def test_a_new_procedure_gets_the_shipped_keywords_and_a_reimport_keeps_edited_ones(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.json", RECORD)
    import_procedures([path])
    proc = Procedure.objects.get()
    assert proc.keywords.splitlines() == shipped_keywords()["1.004222"]["keywords"].splitlines()
    assert proc.keywords and proc.keywords_en
    assert fold(proc.keywords.splitlines()[0]) in proc.search_text  # the catalog search finds them
    proc.keywords = "nhập hộ khẩu nhà vợ"
    proc.save(update_fields=["keywords"])
    changed = copy.deepcopy(RECORD)
    changed["cach_thuc_thuc_hien"] = changed["cach_thuc_thuc_hien"].replace("20,000", "25,000")
    assert import_procedures([_write(tmp_path / "v2.json", changed)]).updated == 1
    proc.refresh_from_db()
    assert proc.keywords == "nhập hộ khẩu nhà vợ" and proc.version == 2
    assert ProcedureVersion.objects.get(procedure=proc).changed_fields == ["channels"]


@pytest.mark.django_db
def test_it_reports_a_malformed_file_and_imports_the_others(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", RECORD)
    bad = tmp_path / "broken.json"
    bad.write_text('{"ma_thu_tuc": "1.0", ', encoding="utf-8")
    summary = import_procedures([bad, good])
    assert summary.created == 1
    assert len(summary.errors) == 1
    assert "broken.json" in summary.errors[0] and "not valid JSON" in summary.errors[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'"just a string"', "expected a record object or a list of records"),
        (json.dumps({"ten_thu_tuc": "x"}).encode(), "ma_thu_tuc"),
    ],
)
def test_it_names_the_problem_in_a_bad_file(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    summary = import_procedures([path])
    assert summary.total == 0
    assert "bad.json" in summary.errors[0] and expected in summary.errors[0]


@pytest.mark.django_db
def test_it_exits_nonzero_with_a_summary_when_a_file_is_bad(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.json", RECORD)
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_procedures", str(good), str(bad), stdout=out, stderr=err)
    assert "1 procedures read: 1 created" in out.getvalue()
    assert "bad.json" in err.getvalue()
    assert Procedure.objects.filter(code="1.004222").exists()


@pytest.mark.django_db
def test_it_refuses_a_missing_path(tmp_path: Path) -> None:
    summary = import_procedures([tmp_path / "nope.json"])
    assert "no such file" in summary.errors[0]


@pytest.mark.django_db
def test_it_flags_unparsed_text_for_review_and_keeps_it(tmp_path: Path) -> None:
    odd = copy.deepcopy(RECORD)
    odd["can_cu_phap_ly"] = "Tên văn bản pháp lýMã văn bảnMột văn bản không có số hiệu rõ ràng"
    import_procedures([_write(tmp_path / "odd.json", odd)])
    proc = Procedure.objects.get()
    assert proc.needs_review
    kept = " ".join(n["text"] for n in proc.review_notes) + " ".join(b.title for b in proc.legal_bases.all())
    assert "Một văn bản không có số hiệu rõ ràng" in kept
    report = catalog_quality_report()
    assert [item.code for item in report.items] == ["1.004222"]


@pytest.mark.django_db
def test_it_prints_the_quality_report(tmp_path: Path) -> None:
    odd = copy.deepcopy(RECORD)
    odd["cach_thuc_thuc_hien"] = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tinMiễn phí"
    import_procedures([_write(tmp_path / "odd.json", odd)])
    out = io.StringIO()
    call_command("catalog_quality", stdout=out)
    assert "1.004222" in out.getvalue()
    assert "the source gives no processing time" in out.getvalue()
    assert "1 of 1 procedures need review" in out.getvalue()


@pytest.mark.django_db
def test_the_keywords_migration_adds_shipped_phrases_an_existing_database_lacks(tmp_path: Path) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("xaso.catalog.migrations.0004_more_shipped_keywords")
    import_procedures([_write(tmp_path / "one.json", RECORD)])
    proc = Procedure.objects.get()
    shipped = shipped_keywords()["1.004222"]["keywords"].splitlines()
    proc.keywords = "nhập hộ khẩu nhà vợ\n" + shipped[0]  # a maintainer's phrase and one shipped
    proc.save(update_fields=["keywords"])
    migration.add_missing_keywords(apps, None)
    proc.refresh_from_db()
    lines = proc.keywords.splitlines()
    assert lines[:2] == ["nhập hộ khẩu nhà vợ", shipped[0]]  # kept, in their order
    assert sorted(lines[2:]) == sorted(shipped[1:])  # the rest added once
    assert fold(shipped[-1]) in proc.search_text
    migration.add_missing_keywords(apps, None)  # running again changes nothing
    proc.refresh_from_db()
    assert proc.keywords.splitlines() == lines
