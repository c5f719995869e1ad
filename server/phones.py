"""Phone numbers as stored everywhere: E.164 (+7…); Russian numbers may be typed without the
country code."""

from __future__ import annotations

import re

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


_PHONE_LIKE = re.compile(r"^[\d\s()+\-.]{4,}$")


def search_digits(text: str) -> str | None:
    """The digits a phone typed into a search box is found by, or None when it is no phone.

    «+7 916 555-12-34», «8 916 555 12 34» and «89165551234» give «79165551234» (stored
    numbers begin with the country code); «555-12-34» gives «5551234» (the last 7 digits
    are among a phone's search words).
    """
    text = text.strip()
    if not _PHONE_LIKE.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    return digits or None
