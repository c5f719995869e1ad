"""What a file store is, and the local folder one (the default).

A store's methods block (disk or network): the server calls them through the async helpers
of `server.files.store`, in worker threads. A read hands out an open stream, never a local
path, so that any server process can serve a file whichever process wrote it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from server.errors import Unavailable

CHUNK = 256 * 1024  # bytes read per step of a streamed answer


class StoreUnavailable(Unavailable):
    """The file store did not answer or refused: nothing was stored or read."""


class Reader(Protocol):
    """An open stored content: read it in pieces, then close it."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; b"" at the end."""
        ...

    def close(self) -> None:
        """Let go of the stream."""
        ...


@dataclass(frozen=True)
class Opened:
    """A stored content ready to be read, and its length in bytes."""

    reader: Reader
    size: int


class FileStore(Protocol):
    """Where file contents live; keys are letters, digits and dashes (uuid hex)."""

    def put(self, key: str, content: bytes) -> None:
        """Store content under key (replacing nothing: keys are unique)."""

    def put_file(self, key: str, path: Path) -> None:
        """Store the content of a local file under key (the file stays where it is)."""

    def open(self, key: str) -> Opened | None:
        """The content of key opened for reading, or None when the store has none."""

    def discard(self, key: str) -> None:
        """Remove the content of key if it is there (bytes no record refers to)."""


def check_key(key: str) -> str:
    """The key if it is a store key (letters, digits and dashes), else ValueError."""
    if not key or len(key) > 100 or not key.replace("-", "").isalnum() or not key.isascii():
        raise ValueError("bad storage key")
    return key


class LocalFileStore:
    """Files in a folder, written atomically (temporary file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _target(self, key: str) -> Path:
        return self.root / check_key(key)[:2] / key

    def _place(self, key: str, content: bytes | Path) -> None:
        target = self._target(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            try:
                if isinstance(content, Path):
                    with content.open("rb") as source:
                        shutil.copyfileobj(source, handle, CHUNK)
                else:
                    handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            except BaseException:
                Path(handle.name).unlink(missing_ok=True)
                raise
        os.replace(handle.name, target)

    def put(self, key: str, content: bytes) -> None:
        """Write the content; a crash never leaves a half-written file under the key."""
        self._place(key, content)

    def put_file(self, key: str, path: Path) -> None:
        """Copy a local file in, as atomically as `put`."""
        self._place(key, path)

    def open(self, key: str) -> Opened | None:
        """The file of key opened, or None."""
        return open_local(self._target(key))

    def discard(self, key: str) -> None:
        """Remove the content of key if it is there."""
        self._target(key).unlink(missing_ok=True)


def open_local(path: Path) -> Opened | None:
    """A local file opened for reading, or None when there is no such file."""
    try:
        handle = path.open("rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return Opened(handle, os.fstat(handle.fileno()).st_size)
