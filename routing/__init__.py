"""Servio's field-master scheduler: assign visits to masters and plan their routes."""

from routing.errors import MatrixError, RoutingInputError
from routing.insert import InsertionOption, explain_no_option, insert_visit
from routing.matrix import GeodesicMatrix, MatrixProvider, OsrmMatrix, TravelTable
from routing.model import (
    Balance,
    Break,
    BreakTaken,
    Location,
    Master,
    Metric,
    Objective,
    Options,
    Plan,
    Priority,
    Problem,
    Reason,
    Route,
    Shift,
    Start,
    Stop,
    TimeWindow,
    Unassigned,
    Visit,
    VisitState,
)
from routing.prepare import points
from routing.solver import solve
from routing.validate import validate_problem

__all__ = [
    "Balance",
    "Break",
    "BreakTaken",
    "GeodesicMatrix",
    "InsertionOption",
    "Location",
    "Master",
    "MatrixError",
    "MatrixProvider",
    "Metric",
    "Objective",
    "Options",
    "OsrmMatrix",
    "Plan",
    "Priority",
    "Problem",
    "Reason",
    "Route",
    "RoutingInputError",
    "Shift",
    "Start",
    "Stop",
    "TimeWindow",
    "TravelTable",
    "Unassigned",
    "Visit",
    "VisitState",
    "explain_no_option",
    "insert_visit",
    "points",
    "solve",
    "validate_problem",
]
