"""Every answer as text a marker can be searched in: JSON, HTML, PDF, XLSX, DOCX, images.

Opaque tokens (cursors, links with a cursor) are decoded too, so a cursor that carries a hidden
value is found like the value itself.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import json
import re
import zipfile
from typing import Any
from urllib.parse import unquote

import httpx
from openpyxl import load_workbook
from pypdf import PdfReader

_TAG = re.compile(r"<[^>]+>")
_TOKEN = re.compile(r"[A-Za-z0-9_\-+/]{12,2000}={0,2}")
_PRINTABLE = re.compile(r"^[\w\s\-.,:;\"'\[\]{}()+/@#%&*!?<>=|~`^$\\]+$")


def decoded_tokens(text: str) -> list[str]:
    """Base64 (standard or URL-safe) tokens in the text that decode to printable text."""
    found = []
    for token in set(_TOKEN.findall(unquote(text))):
        padded = token + "=" * (-len(token) % 4)
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            try:
                raw = decode(padded)
                value = raw.decode("utf-8")
            except (binascii.Error, ValueError, UnicodeDecodeError):
                continue
            if len(value) >= 4 and _PRINTABLE.match(value):
                found.append(value)
                break
    return found


def _zip_text(content: bytes) -> str:
    """All text of every XML part of an Office file (cells, runs, comments, properties)."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                xml = archive.read(name).decode("utf-8", "replace")
                parts.append(html.unescape(_TAG.sub(" ", xml)))
    return " ".join(parts)


def _xlsx_cells(content: bytes) -> str:
    """Every cell value of every sheet, as openpyxl reads it."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    values = [
        f"{value} {value:.2f}" if isinstance(value, int | float) else str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    workbook.close()
    return " ".join(values)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    parts = [page.extract_text() or "" for page in reader.pages]
    parts += [str(v) for v in (reader.metadata or {}).values()]
    return " ".join(parts)


def kind_of(response: httpx.Response) -> str:
    """json, html, pdf, xlsx, docx, binary or text."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    content = response.content
    if content.startswith(b"%PDF"):
        return "pdf"
    if content.startswith(b"PK"):
        return "xlsx" if "spreadsheet" in media or b"xl/" in content[:2000] else "docx"
    if media.endswith("json"):
        return "json"
    if media == "text/html":
        return "html"
    if media.startswith("text/") or media.endswith(("javascript", "xml", "manifest+json")):
        return "text"
    return "binary"


def read(response: httpx.Response) -> tuple[str, Any]:
    """The answer's text (with decoded tokens appended) and its parsed JSON (or None)."""
    kind = kind_of(response)
    content = response.content
    data = None
    if kind == "pdf":
        text = _pdf_text(content)
        text += " " + re.sub(r"\s+", "", text)  # a PDF may split a word with spaces
    elif kind == "xlsx":
        text = _zip_text(content) + " " + _xlsx_cells(content)
    elif kind == "docx":
        text = _zip_text(content)
    elif kind == "binary":
        text = content.decode("latin-1")
    else:
        text = response.text
        if kind == "json":
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            else:
                text = json.dumps(data, ensure_ascii=False)
        elif kind == "html":
            text = html.unescape(text)
    if kind in ("json", "html", "text"):
        text += " " + " ".join(decoded_tokens(text))
    return text, data
