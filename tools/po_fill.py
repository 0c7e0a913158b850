"""Fill or repair the Vietnamese .po file from JSON files of msgid -> msgstr.

    python tools/po_fill.py locale/vi/LC_MESSAGES/django.po new_strings.json [more.json]

Works on files written by ``makemessages --no-wrap`` (as ``make messages`` does): entries
with an empty msgstr, and "fuzzy" guesses, get the given translation; the rest stay.
"""

from __future__ import annotations

import json
import sys

# Vietnamese has one form; two identical forms keep msgfmt happy with entries made from
# English sources, which have two.
PLURAL_FORMS = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"'


def fill(po_text: str, translations: dict[str, str]) -> tuple[str, list[str]]:
    entries = po_text.split("\n\n")
    missing: list[str] = []
    header = [line for line in entries[0].split("\n") if line != "#, fuzzy"]
    header = [PLURAL_FORMS if line.startswith('"Plural-Forms:') else line for line in header]
    header = [
        '"Content-Type: text/plain; charset=UTF-8\\n"' if line.startswith('"Content-Type:') else line
        for line in header
    ]
    out = ["\n".join(header)]
    for entry in entries[1:]:
        lines = entry.split("\n")
        fuzzy = any(line.startswith("#, fuzzy") for line in lines)
        lines = [line for line in lines if not line.startswith("#|") and line != "#, fuzzy"]
        lines = [line.replace("#, fuzzy, ", "#, ") for line in lines]
        msgid = next((json.loads(line[6:]) for line in lines if line.startswith("msgid ")), None)
        plural = next((json.loads(line[13:]) for line in lines if line.startswith("msgid_plural ")), None)
        new = []
        for line in lines:
            if line.startswith("msgstr[") and msgid:
                index = int(line[7 : line.index("]")])
                key = msgid if index == 0 else (plural or msgid)
                if line.endswith('""') or fuzzy:
                    value = translations.get(key) or translations.get(msgid)
                    if value:
                        line = f"msgstr[{index}] " + json.dumps(value, ensure_ascii=False)
                    else:  # a fuzzy guess is never kept: better untranslated than wrong
                        line = f'msgstr[{index}] ""'
                        missing.append(key)
            elif line.startswith("msgstr ") and msgid:
                if line == 'msgstr ""' or fuzzy:
                    value = translations.get(msgid)
                    if value:
                        line = "msgstr " + json.dumps(value, ensure_ascii=False)
                    else:  # a fuzzy guess is never kept: better untranslated than wrong
                        line = 'msgstr ""'
                        missing.append(msgid)
            new.append(line)
        out.append("\n".join(new))
    return "\n\n".join(out), missing


def main() -> None:
    po_path = sys.argv[1]
    translations: dict[str, str] = {}
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as handle:
            translations.update(json.load(handle))
    with open(po_path, encoding="utf-8") as handle:
        text, missing = fill(handle.read(), translations)
    with open(po_path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print("still untranslated:", missing or "none")


if __name__ == "__main__":
    main()
