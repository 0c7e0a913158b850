"""Small catalogs for the assistant's tests.

- ``small_engine``: the engine over a dozen hand-made records (no database), built once.
- ``catalog``: about forty real records picked from the shipped national-portal file and
  imported into the test database (fast; the full-catalog evaluation is the benchmark's).
- ``vietnamese``: the assistant's Vietnamese translations installed in the active catalog,
  as they will be once ``tools/translations/assistant.json`` is merged into the .po file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from xaso.assistant import evaluation, selectors
from xaso.assistant.engine import ChannelFact, DocumentFact, Engine, LegalFact, ProcRecord
from xaso.catalog.importer import read_file
from xaso.catalog.services import SHIPPED_CATALOG, import_manual_procedures, import_procedures

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "tools" / "translations" / "assistant.json"

FREE = ChannelFact(kind="in_person", time_unit="same_day", time_value=1, fee_amount_vnd=0, fee_exempt=True)
SEVEN_DAYS = ChannelFact(kind="in_person", time_value=7, time_unit="working_days", fee_amount_vnd=20000)


def rec(code: str, name: str, field: str = "Hộ tịch", **kw: Any) -> ProcRecord:
    defaults: dict[str, Any] = {
        "channels": (FREE,),
        "documents": (DocumentFact(name="Tờ khai theo mẫu", quantity_text="1 bản chính"),),
        "legal_bases": (
            LegalFact(number="123/2015/NĐ-CP", title="Nghị định quy định chi tiết Luật Hộ tịch"),
        ),
        "results": (),
    }
    defaults.update(kw)
    return ProcRecord(code=code, name=name, field=field, **defaults)


#: Six questions to fit ``SMALL``'s ranker and weights on (two out of scope).
FIT_LINES = [
    evaluation.Line("đăng ký khai sinh cho con", ("1.001193",)),
    evaluation.Line("khai sinh cho con lần đầu", ("1.001193",)),
    evaluation.Line("khai sinh có yếu tố nước ngoài", ("2.000528",)),
    evaluation.Line("đăng ký lại khai sinh", ("1.004884",)),
    evaluation.Line("làm hộ chiếu ở đâu", ()),
    evaluation.Line("giá vàng hôm nay", ()),
]

SMALL = [
    rec(
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        results=("Giấy khai sinh",),
        documents=(
            DocumentFact(name="Tờ khai đăng ký khai sinh theo mẫu", quantity_text="1 bản chính"),
            DocumentFact(name="Giấy chứng sinh", quantity_text="1 bản chính"),
            DocumentFact(
                name="Trường hợp trẻ em bị bỏ rơi thì phải có biên bản", quantity_text="1 bản chính"
            ),
        ),
    ),
    rec("2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài"),
    rec("1.004884", "Thủ tục đăng ký lại khai sinh"),
    rec("1.003583", "Thủ tục đăng ký khai sinh lưu động"),
    rec("1.000656", "Thủ tục đăng ký khai tử"),
    rec("1.000894", "Thủ tục đăng ký kết hôn", competent_authority="Ủy ban nhân dân cấp xã"),
    rec("2.000806", "Thủ tục đăng ký kết hôn có yếu tố nước ngoài"),
    rec("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"),
    rec(
        "1.004194",
        "Đăng ký tạm trú",
        field="Đăng ký, quản lý cư trú",
        channels=(
            SEVEN_DAYS,
            ChannelFact(kind="online", time_value=7, time_unit="working_days", fee_amount_vnd=10000),
        ),
        competent_authority="Công an cấp xã",
    ),
    rec("1.014061", "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên", field="Cấp, quản lý căn cước"),
    rec("1.014062", "Cấp thẻ căn cước cho người dưới 14 tuổi", field="Cấp, quản lý căn cước"),
    rec("1.014064", "Cấp lại thẻ căn cước", field="Cấp, quản lý căn cước"),
    rec(
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        field="Chứng thực",
        channels=(ChannelFact(kind="in_person", fee_amount_vnd=2000, fee_per_unit="trang"),),
    ),
    rec(
        "1.001612",
        "Đăng ký thành lập hộ kinh doanh",
        field="Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
    ),
    rec(
        "1.008498",
        "Đăng ký thuế lần đầu đối với người nộp thuế là cá nhân",
        field="Thuế",
        offered_by_default=False,
    ),
    rec(
        "1.010386", "Trình báo mất hộ chiếu phổ thông (thực hiện tại cấp xã)", field="Quản lý xuất nhập cảnh"
    ),
]


@pytest.fixture(scope="session")
def small_engine() -> Engine:
    return Engine(SMALL)


# Real records used by database tests: civil status, residence, ID cards, certification,
# household business, land, social protection, and a few the commune does not receive.
CATALOG_CODES = (
    "1.001193 2.000528 1.004884 1.003583 1.000689 2.000635 1.000656 1.005461 1.000894 2.000806 1.000094 "
    "1.004746 1.004873 1.001022 1.004837 1.004859 2.000815 2.000884 2.001035 2.001019 1.004222 1.004194 "
    "1.002755 1.003677 1.010038 1.014061 1.014062 1.014063 1.014064 1.001612 2.000720 1.001266 1.013978 "
    "1.012753 1.012812 1.013225 1.013229 1.010386 1.010385 1.008498 1.001939"
).split()


@cache
def _shipped_records() -> dict[str, dict[str, Any]]:
    return {str(s.record["ma_thu_tuc"]): s.record for s in read_file(SHIPPED_CATALOG)}


@pytest.fixture
def catalog(db: None, tmp_path: Path) -> list[str]:
    """About forty shipped records and the hand-entered ones, in the test database."""
    records = _shipped_records()
    path = tmp_path / "subset.json"
    path.write_text(json.dumps([records[c] for c in CATALOG_CODES], ensure_ascii=False), encoding="utf-8")
    summary = import_procedures([path])
    assert not summary.errors, summary.errors
    import_manual_procedures()
    selectors.forget_engine()
    return list(CATALOG_CODES)


@pytest.fixture
def vietnamese() -> Iterator[None]:
    """Install the assistant's Vietnamese translations in the active catalog (as the merged
    .po file will), and answer Vietnamese questions in Vietnamese."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("vi")._catalog  # type: ignore[attr-defined]
    added = {}
    for msgid, msgstr in json.loads(TRANSLATIONS.read_text(encoding="utf-8")).items():
        if catalog.get(msgid) in (None, ""):
            added[msgid] = msgstr
    for msgid, msgstr in added.items():
        catalog[msgid] = msgstr
    yield
    for msgid in added:
        catalog._catalogs[0].pop(msgid, None)
