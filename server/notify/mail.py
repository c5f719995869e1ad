"""Email over SMTP (aiosmtplib): one connection per batch, a Message-ID derived from the
message's key so a receiving server can tell a resend from a new mail."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import formataddr, formatdate

import aiosmtplib

from server.config import SMTP_TLS_MODES, Settings, get_settings
from server.notify.delivery import DeliveryError, NotConfigured

TIMEOUT = 30.0


def configured(settings: Settings | None = None) -> bool:
    """Whether mail can go now (else it waits in the outbox)."""
    settings = settings or get_settings()
    return bool(settings.smtp_host and settings.mail_from)


def message_id(key: str, settings: Settings) -> str:
    domain = settings.mail_from.rpartition("@")[2] or "servio.local"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def compose(
    key: str, to: str, subject: str, text: str, html: str, sender_name: str = ""
) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative."""
    settings = get_settings()
    mail = EmailMessage()
    mail["From"] = (
        formataddr((sender_name, settings.mail_from)) if sender_name else settings.mail_from
    )
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(key, settings)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(text)
    if html:
        mail.add_alternative(html, subtype="html")
    return mail


class Mailer:
    """An SMTP session for a batch of mails: `async with Mailer() as m: await m.send(...)`."""

    def __init__(self) -> None:
        self.settings = get_settings()
        self.client: aiosmtplib.SMTP | None = None

    async def __aenter__(self) -> Mailer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.client is not None and self.client.is_connected:
            try:
                await self.client.quit()
            except aiosmtplib.SMTPException:
                self.client.close()
        self.client = None

    async def _connect(self) -> aiosmtplib.SMTP:
        settings = self.settings
        if not configured(settings):
            raise NotConfigured("SERVIO_SMTP_HOST and SERVIO_MAIL_FROM are not set")
        mode = settings.smtp_tls
        if mode not in SMTP_TLS_MODES:
            raise DeliveryError(f"SERVIO_SMTP_TLS must be none, starttls or tls, not {mode!r}")
        port = settings.smtp_port or {"none": 25, "starttls": 587, "tls": 465}[mode]
        client = aiosmtplib.SMTP(
            hostname=settings.smtp_host,
            port=port,
            use_tls=mode == "tls",
            start_tls=mode == "starttls",
            timeout=TIMEOUT,
        )
        try:
            await client.connect()
            if settings.smtp_user:
                await client.login(settings.smtp_user, settings.smtp_password)
        except aiosmtplib.SMTPAuthenticationError as error:
            raise DeliveryError(f"the SMTP server refused the login: {error.message}") from error
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"cannot reach the SMTP server: {error}") from error
        return client

    async def send(self, mail: EmailMessage) -> None:
        """Send one mail, connecting (again) when needed."""
        if self.client is None or not self.client.is_connected:
            self.client = await self._connect()
        try:
            errors, _ = await self.client.send_message(mail)
        except aiosmtplib.SMTPRecipientsRefused as error:
            reasons = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in error.recipients)
            raise DeliveryError(f"the recipient was refused: {reasons}", permanent=True) from error
        except aiosmtplib.SMTPResponseException as error:
            self.client.close()
            permanent = 500 <= error.code < 600
            raise DeliveryError(f"{error.code} {error.message}", permanent=permanent) from error
        except (aiosmtplib.SMTPException, OSError) as error:
            self.client.close()
            raise DeliveryError(f"the SMTP session broke: {error}") from error
        if errors:
            reasons = "; ".join(f"{to}: {code} {text}" for to, (code, text) in errors.items())
            raise DeliveryError(f"the recipient was refused: {reasons}", permanent=True)
