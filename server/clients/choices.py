"""Choice sets of the clients domain, with labels and colours."""

from enum import StrEnum

from server.i18n import N_


class ClientKind(StrEnum):
    """A private person or a company."""

    PERSON = "person"
    COMPANY = "company"


class GeoStatus(StrEnum):
    """Where an address stands with its coordinates."""

    PENDING = "pending"  # waits for the geocoder (or for a person, when none is configured)
    FOUND = "found"  # the geocoder gave coordinates
    NOT_FOUND = "not_found"  # the geocoder knows no such address
    FAILED = "failed"  # the geocoder failed (service error, timeout); tried again later
    MANUAL = "manual"  # typed or set on the map by a person; the geocoder never overwrites


GEO_STATUS_LABELS: dict[str, str] = {
    GeoStatus.PENDING: N_("No coordinates yet"),
    GeoStatus.FOUND: N_("Found by the geocoder"),
    GeoStatus.NOT_FOUND: N_("Address not found"),
    GeoStatus.FAILED: N_("Geocoder failed"),
    GeoStatus.MANUAL: N_("Typed by hand"),
}

GEO_STATUS_COLORS: dict[str, str] = {
    GeoStatus.PENDING: "#9e9e9e",
    GeoStatus.FOUND: "#43a047",
    GeoStatus.NOT_FOUND: "#e53935",
    GeoStatus.FAILED: "#fb8c00",
    GeoStatus.MANUAL: "#1e88e5",
}

LOCATED = frozenset({GeoStatus.FOUND, GeoStatus.MANUAL})
