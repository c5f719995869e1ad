"""Turning the client and device forms into service input, and back into form values."""

from __future__ import annotations

from typing import Any

from server.actor import Actor
from server.fieldaccess import level
from server.web.forms import lines

TEXT_FIELDS = (
    "name", "legal_name", "inn", "kpp", "ogrn", "legal_address", "bank_name", "bik",
    "bank_account", "corr_account", "source", "comment",
)  # fmt: skip


def client_data(form: dict[str, Any], custom_codes: list[str]) -> dict[str, Any]:
    """The service input of the client form (phones and emails one per line)."""
    data: dict[str, Any] = {f: str(form.get(f, "")) for f in TEXT_FIELDS}
    data["kind"] = form.get("kind", "person")
    data["phones"] = [p for p in str(form.get("phones", "")).splitlines() if p.strip()]
    data["emails"] = lines(str(form.get("emails", "")))
    data["tags"] = lines(str(form.get("tags", "")))
    data["discount_percent"] = str(form.get("discount_percent", "") or "0").replace(",", ".")
    address = str(form.get("address", "")).strip()
    data["addresses"] = []
    if address:
        item: dict[str, Any] = {"address": address}
        for key in ("lat", "lon"):
            raw = str(form.get(f"address_{key}", "")).strip().replace(",", ".")
            item[key] = raw or None
        data["addresses"] = [item]
    data["custom"] = {c: form.get(f"custom.{c}", "") for c in custom_codes}
    data["custom"] = {k: v for k, v in data["custom"].items() if v not in ("", None)}
    return data


def writable_only(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """The form data without fields the actor may not change (they are shown, not posted)."""
    return {k: v for k, v in data.items() if level(actor, "client", k) == "write"}


def form_values(data: dict[str, Any]) -> dict[str, Any]:
    """Values to fill the client form with, from service input or a client card."""
    values = {f: data.get(f, "") for f in TEXT_FIELDS}
    values["kind"] = data.get("kind", "person")
    phones = data.get("phones", [])
    values["phones"] = "\n".join(p["number"] if isinstance(p, dict) else str(p) for p in phones)
    emails = data.get("emails", [])
    values["emails"] = "\n".join(e["email"] if isinstance(e, dict) else str(e) for e in emails)
    values["tags"] = ", ".join(data.get("tags", []))
    values["discount_percent"] = data.get("discount_percent", "0")
    addresses = data.get("addresses") or [{}]
    first = addresses[0]
    values["address"] = first.get("address", "")
    values["address_lat"] = "" if first.get("lat") is None else first["lat"]
    values["address_lon"] = "" if first.get("lon") is None else first["lon"]
    values["custom"] = data.get("custom", {})
    return values


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    """Errors keyed by form field: phones[1] → phones, addresses[0].lat → address."""
    shown: dict[str, str] = {}
    for key, message in errors.items():
        name = key.split("[")[0] if not key.startswith("custom.") else key
        name = "address" if name == "addresses" else name
        shown.setdefault(name, message)
    return shown


def device_data(form: dict[str, Any]) -> dict[str, Any]:
    """The service input of the device form."""
    data: dict[str, Any] = {}
    for key in ("device_type_id", "brand_id", "model_id"):
        raw = str(form.get(key, "")).strip()
        data[key] = int(raw) if raw.isdigit() and len(raw) < 10 else None
    for key in ("brand_name", "model_name", "serial", "notes"):
        data[key] = str(form.get(key, ""))
    for key in ("purchase_date", "warranty_until"):
        data[key] = str(form.get(key, "")).strip() or None
    return data
