"""The file store: a local folder by default, or an S3-compatible bucket (`server.files.s3`)
when SERVIO_S3_BUCKET is set; async helpers that run the store's blocking calls in threads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path

import anyio

from server.config import Settings, get_settings
from server.files.backend import CHUNK, FileStore, LocalFileStore, Opened, StoreUnavailable


def _where(settings: Settings) -> tuple[str, ...]:
    """What tells one store from another (a test may change the settings)."""
    s3 = (settings.s3_endpoint_url, settings.s3_region, settings.s3_access_key, settings.s3_prefix)
    return (str(settings.data_dir), settings.s3_bucket, *s3, settings.s3_secret_key)


@lru_cache(maxsize=4)
def _store_at(where: tuple[str, ...]) -> FileStore:
    settings = get_settings()
    if settings.s3_bucket:
        from server.files.s3 import S3FileStore  # boto3 is loaded only when it is used

        return S3FileStore.from_settings(settings)
    return LocalFileStore(settings.data_dir / "files")


def file_store() -> FileStore:
    """The configured store: the S3 bucket of SERVIO_S3_BUCKET, else `<data dir>/files`; one
    per process (an S3 client keeps its connections)."""
    return _store_at(_where(get_settings()))


async def save(key: str, content: bytes, *, field: str = "file") -> None:
    """Store content under key, off the event loop; StoreUnavailable (503, next to the form's
    `field`) when the store fails."""
    try:
        await anyio.to_thread.run_sync(file_store().put, key, content)
    except StoreUnavailable as error:
        error.field = field
        raise


async def save_file(key: str, path: Path) -> None:
    """Store a local file's content under key, off the event loop."""
    await anyio.to_thread.run_sync(file_store().put_file, key, path)


async def discard(key: str) -> None:
    """Remove the content of key, off the event loop (shielded: it runs on a cancel too)."""
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(file_store().discard, key)


async def open_stored(key: str) -> Opened | None:
    """The content of key opened for reading, or None when the store has none."""
    return await anyio.to_thread.run_sync(file_store().open, key)


async def chunks(opened: Opened) -> AsyncIterator[bytes]:
    """The content in pieces, each read in a worker thread; the stream is closed at the end
    (also when the reader of the answer goes away)."""
    try:
        while True:
            piece = await anyio.to_thread.run_sync(opened.reader.read, CHUNK)
            if not piece:
                return
            yield piece
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(opened.reader.close)
