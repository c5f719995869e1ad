"""An S3-compatible file store (MinIO, Ceph, any cloud), shared by every server process.

boto3's client is blocking and thread-safe: the store's methods run in worker threads
(`server.files.store`'s helpers), one client per process. Whatever the store answers that
is not "no such key" — unreachable, timed out, a refusal — becomes StoreUnavailable (503):
nothing was stored, and the caller keeps what it can of what it was sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from server.config import Settings
from server.files.backend import Opened, StoreUnavailable, check_key
from server.i18n import N_

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

log = logging.getLogger("servio.files.s3")
AWAY = N_(
    "The file store is not answering. Try again in a minute; if it goes on, tell the administrator"
)
MISSING = {"NoSuchKey", "404", "NotFound"}
# Big files (background exports) go up in parts of this size, two at a time.
TRANSFER = TransferConfig(multipart_chunksize=16 * 1024 * 1024, max_concurrency=2)


def client_config() -> Config:
    """Short timeouts and few retries: a person waits on the other end. Checksums only where
    S3 requires them (servers other than AWS may not know the newer ones)."""
    return Config(
        connect_timeout=5,
        read_timeout=30,
        retries={"max_attempts": 3, "mode": "standard"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


class S3FileStore:
    """Contents as objects `<prefix>/<key>` of one bucket."""

    def __init__(self, client: S3Client, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> S3FileStore:
        """The store SERVIO_S3_* describe; with no access key, boto3's own credential chain
        (AWS_* variables, an instance role) is used."""
        endpoint = settings.s3_endpoint_url or None
        options: dict[str, Any] = {
            "endpoint_url": endpoint,
            "region_name": settings.s3_region or None,
            "config": client_config().merge(
                # an endpoint of one's own (MinIO, Ceph) usually has no bucket subdomains
                Config(s3={"addressing_style": "path" if endpoint else "auto"})
            ),
        }
        if settings.s3_access_key:
            options["aws_access_key_id"] = settings.s3_access_key
            options["aws_secret_access_key"] = settings.s3_secret_key
        client = boto3.session.Session().client("s3", **options)
        return cls(client, settings.s3_bucket, settings.s3_prefix)

    def _name(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    @contextmanager
    def _call(self, what: str, key: str) -> Iterator[None]:
        try:
            yield
        except (BotoCoreError, ClientError, Boto3Error) as error:
            log.error("file store: %s of %s in bucket %s failed: %r", what, key, self.bucket, error)
            raise StoreUnavailable(AWAY) from error

    def put(self, key: str, content: bytes) -> None:
        """Upload the content as one object."""
        with self._call("upload", key):
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=content)

    def put_file(self, key: str, path: Path) -> None:
        """Upload a local file (in parts when it is big)."""
        with self._call("upload", key):
            self.client.upload_file(str(path), self.bucket, self._name(key), Config=TRANSFER)

    def open(self, key: str) -> Opened | None:
        """The object's body as a stream, or None when the bucket has no such object."""
        with self._call("read", key):
            try:
                answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in MISSING:
                    return None
                raise
        return Opened(answer["Body"], int(answer["ContentLength"]))

    def discard(self, key: str) -> None:
        """Delete the object (no error when it is not there)."""
        with self._call("delete", key):
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
