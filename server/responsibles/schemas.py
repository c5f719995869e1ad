"""Inputs and outputs of the responsibles API (msgspec Structs)."""

from __future__ import annotations

from typing import Annotated

import msgspec

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Name = Annotated[str, msgspec.Meta(max_length=200)]
Word = Annotated[str, msgspec.Meta(max_length=100)]
Ids = Annotated[list[Id], msgspec.Meta(max_length=200)]
Words = Annotated[list[Word], msgspec.Meta(max_length=200)]
Point = Annotated[list[float], msgspec.Meta(min_length=2, max_length=2)]
Polygon = Annotated[list[Point], msgspec.Meta(max_length=2000)]
Sort = Annotated[int, msgspec.Meta(ge=-32768, le=32767)]

ROLES = ("manager", "service_center", "expert", "technician")
KINDS = ("request", "order")
CHANNELS = ("counter", "phone", "website", "partner", "api")


class Subject(msgspec.Struct, frozen=True):
    """The facts a rule looks at: a new request or order."""

    kind: str  # "request" | "order"
    brand: str = ""  # manufacturer / brand, free text, compared case-insensitively
    device_type: str = ""
    problem_class_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    city: str = ""
    address: str = ""
    channel: str = ""  # counter | phone | website | partner | api
    source_org_id: int | None = None
    fields: dict[str, str] = {}  # any other field by name (e.g. "addressee": "director")


class Chosen(msgspec.Struct, frozen=True):
    """Who a rule made one responsible."""

    role: str  # manager | service_center | expert | technician
    id: int  # employee id, or organization id for service_center
    rule_id: int
    rule_name: str


class Assignment(msgspec.Struct, frozen=True):
    """The responsibles the rules chose, and a special queue one of them named."""

    chosen: list[Chosen]
    queue: str = ""  # a special queue named by a rule ("director"), else ""


# --- the problem classification -------------------------------------------------------------


class ProblemClassOut(msgspec.Struct):
    """A node of the problem classification; `path` is its name after its ancestors'."""

    id: int
    parent_id: int | None
    name: str
    path: str
    sort: int
    is_active: bool
    depth: int


class ProblemClassIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new node of the problem classification."""

    name: Name
    parent_id: Id | None = None
    sort: Sort = 0


class ProblemClassPatch(msgspec.Struct, forbid_unknown_fields=True):
    """A change of a node: its name, parent, place among siblings, switched off or on."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    parent_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    sort: Sort | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class ProblemClassList(msgspec.Struct):
    """The whole tree, each node after its parent."""

    items: list[ProblemClassOut]


# --- zones -------------------------------------------------------------------------------------


class ZoneOut(msgspec.Struct):
    """An address zone: a polygon of [lat, lon] points and/or cities and districts by name."""

    id: int
    name: str
    polygon: list[list[float]]
    places: list[str]
    is_active: bool


class ZoneIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new address zone (a polygon of at least 3 points, or places, or both)."""

    name: Name
    polygon: Polygon = []
    places: Words = []
    is_active: bool = True


class ZonePatch(msgspec.Struct, forbid_unknown_fields=True):
    """A change of a zone."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    polygon: Polygon | msgspec.UnsetType = msgspec.UNSET
    places: Words | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class ZoneList(msgspec.Struct):
    """Every zone by name."""

    items: list[ZoneOut]


# --- rules -------------------------------------------------------------------------------------


class Conditions(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """What must hold for a rule to match (all of them; an empty one holds for anything)."""

    brands: Words = []
    device_types: Words = []
    problem_class_ids: Ids = []
    zone_ids: Ids = []
    channels: Words = []
    source_org_ids: Ids = []
    fields: Annotated[dict[Word, Name], msgspec.Meta(max_length=50)] = {}


class Targets(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Candidates per responsible role: employees (organizations for service_center)."""

    manager: Ids = []
    service_center: Ids = []
    expert: Ids = []
    technician: Ids = []


class RuleOut(msgspec.Struct):
    """An assignment rule."""

    id: int
    name: str
    is_active: bool
    sort: int
    applies_to: str
    conditions: Conditions
    targets: Targets
    queue: str
    stop: bool


class RuleIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new assignment rule; `sort` None puts it last."""

    name: Name
    applies_to: Annotated[str, msgspec.Meta(max_length=10)] = "both"
    conditions: Conditions = msgspec.field(default_factory=Conditions)
    targets: Targets = msgspec.field(default_factory=Targets)
    queue: Word = ""
    stop: bool = False
    is_active: bool = True
    sort: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] | None = None


class RulePatch(msgspec.Struct, forbid_unknown_fields=True):
    """A change of a rule (what is given replaces what was)."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    applies_to: Annotated[str, msgspec.Meta(max_length=10)] | msgspec.UnsetType = msgspec.UNSET
    conditions: Conditions | msgspec.UnsetType = msgspec.UNSET
    targets: Targets | msgspec.UnsetType = msgspec.UNSET
    queue: Word | msgspec.UnsetType = msgspec.UNSET
    stop: bool | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    sort: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] | msgspec.UnsetType = msgspec.UNSET


class RuleList(msgspec.Struct):
    """Every rule in precedence order."""

    items: list[RuleOut]


# --- the preview -------------------------------------------------------------------------------


class SubjectIn(msgspec.Struct, forbid_unknown_fields=True):
    """A request or order to try the rules on."""

    kind: Annotated[str, msgspec.Meta(max_length=10)] = "order"
    brand: Word = ""
    device_type: Word = ""
    problem_class_id: Id | None = None
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    city: Name = ""
    address: Annotated[str, msgspec.Meta(max_length=500)] = ""
    channel: Word = ""
    source_org_id: Id | None = None
    fields: Annotated[dict[Word, Name], msgspec.Meta(max_length=50)] = {}


class RoleStep(msgspec.Struct):
    """What one matching rule did for one role."""

    role: str
    outcome: str  # chosen | taken | no_candidate
    reason: str
    candidate_id: int | None = None
    candidate_name: str = ""


class RuleStep(msgspec.Struct):
    """One rule looked at: matched or why not, and what it did per role."""

    rule_id: int
    rule_name: str
    matched: bool
    reason: str
    roles: list[RoleStep]


class ChosenOut(msgspec.Struct):
    """A responsible chosen, with the name and the rule."""

    role: str
    id: int
    name: str
    rule_id: int
    rule_name: str


class Preview(msgspec.Struct):
    """Which rule fires for which role, and why the others were skipped."""

    chosen: list[ChosenOut]
    queue: str
    steps: list[RuleStep]
