"""What a channel reports when a message did not go."""

from __future__ import annotations


class DeliveryError(Exception):
    """A send failed; `permanent`: trying again cannot help (a refused address, a gone
    subscription), so the message fails at once."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:500]
        self.permanent = permanent


class NotConfigured(Exception):
    """The channel has no server or provider set: the message waits in the outbox."""
