"""Public catalog API (filled in by the catalog issue)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["catalog"])
