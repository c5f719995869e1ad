"""Choice sets of the clients domain."""

from enum import StrEnum


class ClientKind(StrEnum):
    """A private person or a company."""

    PERSON = "person"
    COMPANY = "company"
