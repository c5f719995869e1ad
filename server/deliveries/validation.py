"""Checking a shipment's fields one by one; the first wrong one is named."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from server.deliveries.choices import Carrier, Direction, ShipmentStatus
from server.errors import InvalidInput

CDEK_NUMBER = re.compile(r"^[0-9]{6,14}$")
TRACKING = re.compile(r"^[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё\-/_.]{0,49}$")
MAX_COST = Decimal("9999999999.99")
MAX_WEIGHT = Decimal("9999999.999")
CHOICES = {"direction": Direction, "carrier": Carrier, "status": ShipmentStatus}
LINES = ("from_address", "to_address", "note")
ONE_LINE = ("supplier_name", "carrier_name", "contact", "order_number")


def one_line(value: str) -> str:
    """Printable characters only, spaces collapsed."""
    return " ".join("".join(c for c in value if c.isprintable()).split())


def text(value: str) -> str:
    """A text area's value: no NUL or other control characters but line breaks and tabs."""
    kept = "".join(c for c in value if c.isprintable() or c in "\n\t")
    return kept.replace("\r", "").strip()


def _choice(key: str, value: str) -> str:
    if value not in CHOICES[key]._value2member_map_:
        raise InvalidInput("Choose one of the offered values", field=key)
    return value


def tracking_number(value: str, carrier: str) -> str:
    """A tracking number without spaces; a CDEK one is its order number of digits."""
    number = "".join(value.split())
    if not number:
        return ""
    if carrier == Carrier.CDEK.value:
        if not CDEK_NUMBER.match(number):
            raise InvalidInput("A CDEK number is 6 to 14 digits", field="tracking_number")
    elif not TRACKING.match(number):
        raise InvalidInput(
            "A tracking number holds letters, digits, dashes and slashes only",
            field="tracking_number",
        )
    return number


def cost(value: Decimal | None) -> Decimal | None:
    """A delivery cost in roubles: not negative, kopecks at most."""
    if value is None:
        return None
    if not value.is_finite():
        raise InvalidInput("Enter an amount in roubles", field="cost")
    if value < 0:
        raise InvalidInput("The cost cannot be negative", field="cost")
    if value > MAX_COST:
        raise InvalidInput("The amount is too large", field="cost")
    if value != value.quantize(Decimal("0.01")):
        raise InvalidInput("At most two digits after the point", field="cost")
    return value.quantize(Decimal("0.01"))


def weight(value: Decimal | None) -> Decimal | None:
    """A weight in kilograms, grams at most."""
    if value is None:
        return None
    if not value.is_finite():
        raise InvalidInput("Enter a weight in kilograms", field="weight_kg")
    if value < 0:
        raise InvalidInput("The weight cannot be negative", field="weight_kg")
    if value > MAX_WEIGHT or value != value.quantize(Decimal("0.001")):
        raise InvalidInput("Enter a weight in kilograms", field="weight_kg")
    return value.quantize(Decimal("0.001"))


def clean(values: dict[str, Any], carrier: str) -> dict[str, Any]:
    """Checked values of a shipment (`carrier`: the one it will have, for the number)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in CHOICES:
            out[key] = _choice(key, value)
        elif key in ONE_LINE:
            out[key] = one_line(value)
        elif key in LINES:
            out[key] = text(value)
        elif key == "tracking_number":
            out[key] = tracking_number(value, carrier)
        elif key == "cost":
            out[key] = cost(value)
        elif key == "weight_kg":
            out[key] = weight(value)
        else:
            out[key] = value
    if out.get("sent_on") and out.get("expected_on") and out["expected_on"] < out["sent_on"]:
        raise InvalidInput("The expected date is before the sending date", field="expected_on")
    return out
