"""A local server speaking the S3 API: moto's server mode in a process of its own, on a free
port, with one bucket. Its `env` is what a server process (or this one) is told to use it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from tests.ports import free_port
from tests.processes import stop, wait_until_up

MOTO = str(Path(sys.executable).with_name("moto_server"))
ACCESS_KEY = "servio-test-access"
SECRET_KEY = "servio-test-secret"
REGION = "us-east-1"


@dataclass
class S3Server:
    """A running S3 server and the bucket the file store is told to use."""

    url: str
    bucket: str
    prefix: str

    @property
    def env(self) -> dict[str, str]:
        """The SERVIO_S3_* settings of this bucket."""
        return {
            "SERVIO_S3_ENDPOINT_URL": self.url,
            "SERVIO_S3_BUCKET": self.bucket,
            "SERVIO_S3_ACCESS_KEY": ACCESS_KEY,
            "SERVIO_S3_SECRET_KEY": SECRET_KEY,
            "SERVIO_S3_REGION": REGION,
            "SERVIO_S3_PREFIX": self.prefix,
        }

    def client(self) -> Any:
        """A boto3 client of the server, to look into the bucket."""
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def object_keys(self) -> list[str]:
        """Every object's key in the bucket."""
        found = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in found.get("Contents", []))

    def content(self, key: str) -> bytes:
        """One object's bytes."""
        return bytes(self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read())


@contextmanager
def s3_server(bucket: str = "servio-files", prefix: str = "servio") -> Iterator[S3Server]:
    """`moto_server` on a free port until the block ends, with the bucket made."""
    port = free_port()
    process = subprocess.Popen(
        [MOTO, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        up = f"{url}/moto-api/"
        wait_until_up(process, up, within=30, ready=lambda status: status < 500, name="moto")
        server = S3Server(url=url, bucket=bucket, prefix=prefix)
        server.client().create_bucket(Bucket=bucket)
        yield server
    finally:
        stop(process)
