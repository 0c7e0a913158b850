"""Every user-facing string of the assistant has its Vietnamese translation ready to merge
(``tools/translations/assistant.json``), with the same placeholders."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from tests.assistant.conftest import ROOT, TRANSLATIONS

_TRANSLATE = re.compile(r"""{%\s*translate\s+(?:"([^"]*)"|'([^']*)')""")
_BLOCK = re.compile(r"{%\s*blocktranslate[^%]*%}(.*?){%\s*endblocktranslate\s*%}", re.S)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def python_msgids(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "gettext", "gettext_lazy")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            out.append(node.args[0].value)
    return out


def template_msgids(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    out = [a or b for a, b in _TRANSLATE.findall(text)]
    out += [re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body) for body in _BLOCK.findall(text)]
    return out


def all_msgids() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "xaso" / "assistant").rglob("*.py"):
        if "migrations" not in path.parts:
            found.update(python_msgids(path))
    for path in (ROOT / "templates" / "assistant").glob("*.html"):
        found.update(template_msgids(path))
    return found


def test_it_has_a_vietnamese_translation_for_every_string() -> None:
    translations = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    msgids = all_msgids()
    assert len(msgids) > 100
    missing = sorted(m for m in msgids if not translations.get(m, "").strip())
    assert not missing, missing[:5]
    for msgid in msgids:
        assert sorted(_PLACEHOLDER.findall(msgid)) == sorted(_PLACEHOLDER.findall(translations[msgid])), msgid
