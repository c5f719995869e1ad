"""Shared, validated request parameters."""

import datetime as dt
from typing import Annotated

from litestar.params import FromQuery, PathParameter, QueryParameter

MAX_ID = 2**31 - 1

RecordId = Annotated[int, PathParameter(ge=1, le=MAX_ID, description="Record id")]
Limit = Annotated[int, QueryParameter(ge=1, le=200, description="Page size")]
Cursor = Annotated[int | None, QueryParameter(ge=0, le=MAX_ID, description="Cursor from `next`")]
Search = Annotated[str, QueryParameter(max_length=200, description="Search text")]
Flag = FromQuery[bool]
OptionalId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="Record id")]
OptionalDay = Annotated[dt.date | None, QueryParameter(description="A day of the center")]
