"""Reading national-portal record files: single records, lists, bundles, ``.json.gz``.

Errors name the file (and the record) and never stop the other files."""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class FileProblem(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class SourceRecord:
    path: Path
    index: int  # position inside the file (0 for a single-record file)
    record: dict[str, Any]

    @property
    def label(self) -> str:
        code = self.record.get("ma_thu_tuc", "?")
        return f"{self.path.name}#{self.index} ({code})"


def nfc(value: Any) -> Any:
    """Compose every string (the portal mixes NFC and NFD, which breaks matching)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


def record_files(paths: list[Path]) -> list[Path]:
    """The files to read: each path itself, or the ``*.json``/``*.json.gz`` files of a folder."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.name.endswith((".json", ".json.gz"))))
        else:
            files.append(path)
    return files


def read_file(path: Path) -> list[SourceRecord]:
    """All records in one file. Raises ``FileProblem`` naming the file and what is wrong."""
    if not path.exists():
        raise FileProblem(path, "no such file or folder")
    try:
        raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise FileProblem(path, f"cannot read the file ({exc})") from None
    except UnicodeDecodeError as exc:
        raise FileProblem(path, f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FileProblem(
            path, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if isinstance(data, dict) and "records" in data:
        data = data["records"]
    if isinstance(data, dict):
        items: list[Any] = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise FileProblem(path, f"expected a record object or a list of records, got {type(data).__name__}")
    return [SourceRecord(path=path, index=i, record=nfc(item)) for i, item in enumerate(items)]


def iter_sources(paths: list[Path]) -> Iterator[SourceRecord | FileProblem]:
    for path in record_files(paths):
        try:
            yield from read_file(path)
        except FileProblem as problem:
            yield problem
