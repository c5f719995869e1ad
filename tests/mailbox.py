"""A real SMTP server for tests (aiosmtpd in a thread): it keeps what it receives and can
answer a chosen SMTP error to the next mails."""

from __future__ import annotations

import email
import email.policy
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.ports import free_port

logging.getLogger("mail.log").setLevel(logging.WARNING)


class Mailbox:
    """The handler: received mails, and an answer to give instead of accepting."""

    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []
        self.refuse_with: str | None = None  # e.g. "451 try later", "550 no such user"
        self.received = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.received:
            self.mails.append(mail)  # type: ignore[arg-type]
            self.received.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        with self.received:
            self.received.wait_for(lambda: len(self.mails) >= count, timeout)
        return list(self.mails)


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """An SMTP server on a free local port: (its mailbox, the port)."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def text_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def html_of(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""
