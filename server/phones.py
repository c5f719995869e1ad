"""Phone numbers as stored everywhere: E.164 (+7…); Russian numbers may be typed without the
country code."""

from __future__ import annotations

import phonenumbers

from server.errors import InvalidInput


def e164(value: str, field: str = "phone") -> str:
    """The E.164 form of a typed phone, or InvalidInput naming `field`."""
    try:
        parsed = phonenumbers.parse(value.strip(), "RU")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise InvalidInput("Enter a phone number like +7 900 123-45-67", field=field)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
