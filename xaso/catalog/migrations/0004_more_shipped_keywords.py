"""Add the shipped keywords that existing databases lack (later additions to keywords.json).

Only adds: a phrase already there, or one a maintainer wrote, stays; nothing is removed or
reordered. New databases got the whole file from 0003.
"""

import json
from pathlib import Path
from typing import Any

from django.db import migrations

from xaso.lib.text import fold

KEYWORDS = Path(__file__).resolve().parents[1] / "data" / "keywords.json"


def add_missing_keywords(apps: Any, schema_editor: Any) -> None:
    if not KEYWORDS.exists():
        return
    data = json.loads(KEYWORDS.read_text(encoding="utf-8"))["procedures"]
    Procedure = apps.get_model("catalog", "Procedure")
    for proc in Procedure.objects.filter(code__in=list(data)):
        item = data[proc.code]
        changed = False
        for field, key in (("keywords", "vi"), ("keywords_en", "en")):
            lines = [line.strip() for line in getattr(proc, field).splitlines() if line.strip()]
            missing = [p for p in item.get(key, []) if p not in lines]
            if missing:
                setattr(proc, field, "\n".join(lines + missing))
                changed = True
        if changed:
            proc.search_text = fold(
                " ".join([proc.name, proc.field, proc.applicants, proc.keywords, proc.keywords_en])
            )
            proc.save(update_fields=["keywords", "keywords_en", "search_text"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_procedure_keywords")]

    operations = [migrations.RunPython(add_missing_keywords, migrations.RunPython.noop)]
