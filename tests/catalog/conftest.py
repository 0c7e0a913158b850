from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from xaso.catalog.services import SHIPPED_CATALOG, import_manual_procedures, import_procedures


@pytest.fixture(scope="module")
def full_catalog(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The whole shipped catalog (584 procedures), loaded once per module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        summary = import_procedures([SHIPPED_CATALOG])
        assert not summary.errors, summary.errors
        import_manual_procedures()
        yield
        transaction.set_rollback(True)
