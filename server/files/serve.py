"""A stored content as an HTTP answer: streamed from the store in pieces, never read whole."""

from __future__ import annotations

from urllib.parse import quote

from litestar.response import Stream

from server.files.backend import Opened
from server.files.store import chunks


def content_disposition(kind: str, name: str) -> str:
    """`inline` or `attachment` with an ASCII fallback name and the UTF-8 one (RFC 6266)."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\%' else "_" for ch in name)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def streamed(opened: Opened, name: str, media_type: str, kind: str = "inline") -> Stream:
    """The answer sending an opened content with its length, type and name."""
    return Stream(
        chunks(opened),
        media_type=media_type,
        headers={
            "content-length": str(opened.size),
            "content-disposition": content_disposition(kind, name),
        },
    )
