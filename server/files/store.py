"""The file store: a local folder by default; an S3-compatible store would implement the same."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from server.config import get_settings


class FileStore(Protocol):
    """Where file contents live."""

    def put(self, key: str, content: bytes) -> None:
        """Store content under key (replacing nothing: keys are unique)."""

    def path(self, key: str) -> Path:
        """A local path to read the content of key from."""

    def discard(self, key: str) -> None:
        """Remove the content of key if it is there (bytes no record refers to)."""


class LocalFileStore:
    """Files in a folder, written atomically (temporary file, then rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _target(self, key: str) -> Path:
        if not key.replace("-", "").isalnum():
            raise ValueError("bad storage key")
        return self.root / key[:2] / key

    def put(self, key: str, content: bytes) -> None:
        """Write the content; a crash never leaves a half-written file under the key."""
        target = self._target(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)

    def path(self, key: str) -> Path:
        """Where the content of key is."""
        return self._target(key)

    def discard(self, key: str) -> None:
        """Remove the content of key if it is there."""
        self._target(key).unlink(missing_ok=True)


def file_store() -> FileStore:
    """The configured store (local folder `<data dir>/files`)."""
    return LocalFileStore(get_settings().data_dir / "files")
