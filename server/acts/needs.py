"""Which acts each visit needs, and which of them are attached: one rule for the sweep that
opens and closes requests and for the order card that shows them.

A visit needs every act kind its order's type asks for (of visits from the day the type
started asking). A need is met by a file of the order marked as that kind, for that visit or
for no visit in particular.
"""

from __future__ import annotations

import msgspec

from server.acts.kinds import Requirement
from server.dispatch.api import ActVisit
from server.files.api import ActFile
from server.orders.api import ActOrder


class Need(msgspec.Struct, frozen=True):
    """One act one visit must end with, and the file that answers it (if any)."""

    visit: ActVisit
    order: ActOrder
    kind: Requirement
    file: ActFile | None


def needs(
    visits: list[ActVisit],
    orders: dict[int, ActOrder],
    required: dict[int, list[Requirement]],
    files: list[ActFile],
) -> list[Need]:
    """Every act the visits need, in visit order, with the file meeting each."""
    by_order: dict[int, list[ActFile]] = {}
    for f in files:
        by_order.setdefault(f.order_id, []).append(f)
    found = []
    for visit in visits:
        order = orders.get(visit.order_id)
        if order is None:
            continue
        for kind in required.get(order.order_type_id, []):
            if visit.day < kind.since:
                continue
            answer = next(
                (
                    f
                    for f in by_order.get(visit.order_id, [])
                    if f.act_kind_id == kind.act_kind_id and f.visit_id in (visit.id, None)
                ),
                None,
            )
            found.append(Need(visit, order, kind, answer))
    return found
