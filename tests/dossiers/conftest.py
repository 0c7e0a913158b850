from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.catalog.test_import import RECORD
from tests.conftest import World, make_user
from xaso.accounts.models import Role, User
from xaso.catalog.models import Procedure
from xaso.catalog.services import import_procedures

# Trimmed from 1.001193 (Thủ tục đăng ký khai sinh), National Public Service Portal, 2025.
BIRTH = {
    **copy.deepcopy(RECORD),
    "ma_thu_tuc": "1.001193",
    "ten_thu_tuc": "Thủ tục đăng ký khai sinh",
    "linh_vuc": "Hộ tịch",
    "co_quan_thuc_hien": "Ủy ban nhân dân cấp xã",
    "co_quan_co_tham_quyen": "Ủy ban nhân dân cấp xã",
    "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp1Miễn phíTrực tuyến1Miễn phí",
    "thanh_phan_ho_so": (
        "Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai đăng ký khai sinh theo mẫu.1 bản chính"
        "Giấy chứng sinh.1 bản chính"
    ),
}


@pytest.fixture
def procedures(world: World, tmp_path: Path) -> dict[str, Procedure]:
    for name, record in (("birth", BIRTH), ("residence", RECORD)):
        (tmp_path / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    summary = import_procedures([tmp_path])
    assert not summary.errors, summary.errors
    return {
        "birth": Procedure.objects.get(code="1.001193"),
        "residence": Procedure.objects.get(code="1.004222"),
    }


@pytest.fixture
def justice_officer(world: World) -> User:
    """A civil-status specialist in A's office (where civil-status dossiers go)."""
    return make_user("justice.a", Role.SPECIALIST, commune=world.commune_a, department_kind="office")


APPLICANT = {
    "full_name": "Nguyễn Thị Lan",
    "id_number": "046190001234",
    "phone": "0905123456",
    "email": "lan@example.com",
    "address": "Thôn 3, xã Vinh Lộc, thành phố Huế",
}
