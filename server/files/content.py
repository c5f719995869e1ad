"""What a stored file is: its type told by its first bytes, its size limit, a safe name."""

from __future__ import annotations

import os
import re
from pathlib import Path

MAX_BYTES = int(os.environ.get("SERVIO_MAX_UPLOAD_BYTES", str(15 * 1024 * 1024)))
# (magic prefix, offset, content type, extension)
SIGNATURES = (
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"WEBP", 8, "image/webp", "webp"),
    (b"%PDF-", 0, "application/pdf", "pdf"),
)


def sniff(content: bytes) -> tuple[str, str] | None:
    """The content type and extension told by the file's first bytes, or None."""
    for magic, offset, content_type, extension in SIGNATURES:
        if content[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and content[:4] != b"RIFF":
                continue
            return content_type, extension
    return None


def _one_line(text: str) -> str:
    """Every run of whitespace (line breaks, tabs, U+2028...) as one space; no control or
    format characters (bidi overrides included)."""
    printable = "".join(ch if ch.isprintable() or ch.isspace() else "" for ch in text)
    return " ".join(printable.split())


def clean_name(name: str, extension: str) -> str:
    """A safe one-line display name that ends with the real extension."""
    base = Path(_one_line(name or "").replace("\\", "/") or "file").stem
    stem = _one_line(re.sub(r"[^\w .()-]", "", base))[:150].strip(" .") or "file"
    return f"{stem}.{extension}"


def served_name(name: str) -> str:
    """A stored name as sent back: one line, whatever older versions let in."""
    return _one_line(name).replace('"', "") or "file"
