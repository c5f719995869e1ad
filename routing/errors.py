"""Errors raised by the routing library."""


class RoutingInputError(ValueError):
    """The problem is malformed; the message names the visit or master at fault."""


class MatrixError(RuntimeError):
    """A travel matrix could not be obtained (e.g. the OSRM service failed)."""
