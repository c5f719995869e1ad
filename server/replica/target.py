"""The database the servers use: DATABASE_URL, or the embedded PostgreSQL of the data folder."""

from __future__ import annotations

import os

from server.dburl import DatabaseUrl, Endpoint, UrlError, parse
from server.replica.cluster import DataFolder
from server.replica.errors import ReplicaError


def configured_url(*, start: bool) -> DatabaseUrl:
    """DATABASE_URL; without one, the embedded PostgreSQL's `servio` database (started first
    when `start`, else where it listens when it runs, or its folder's socket)."""
    from server.config import get_settings
    from server.db import APP_DATABASE, resolve_database_url

    text = os.environ.get("DATABASE_URL") or get_settings().database_url
    if not text and start:
        text = resolve_database_url()
    if text:
        try:
            url = parse(text)
        except UrlError as error:
            raise ReplicaError(f"DATABASE_URL: {error}") from None
        if not url.endpoints:
            raise ReplicaError("DATABASE_URL names no host: name the primary's host or socket")
        return url
    embedded = DataFolder(get_settings().pgdata)
    endpoint = embedded.listening() if embedded.running() else Endpoint(str(embedded.path))
    return DatabaseUrl(endpoints=(endpoint,), database=APP_DATABASE, user="postgres")
