"""Where travel times come from: the geodesic estimate by default, an OSRM `table` server
when SERVIO_OSRM_URL is set (asked in blocks of SERVIO_OSRM_MAX_TABLE locations, its
--max-table-size); tables are cached, since a board asks for the same points often."""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence

import routing
from routing.matrix import TravelTable

CACHED_TABLES = 64


class CachedMatrix:
    """A matrix provider that remembers its last tables (thread-safe: solves run in threads)."""

    def __init__(self, provider: routing.MatrixProvider, size: int = CACHED_TABLES) -> None:
        self.provider = provider
        self.size = size
        self._tables: OrderedDict[tuple[tuple[routing.Location, ...], ...], TravelTable] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def table(
        self, origins: Sequence[routing.Location], destinations: Sequence[routing.Location]
    ) -> TravelTable:
        """The travel table, from the cache when the same points were asked before."""
        key = (tuple(origins), tuple(destinations))
        with self._lock:
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
        table = self.provider.table(origins, destinations)
        with self._lock:
            self._tables[key] = table
            while len(self._tables) > self.size:
                self._tables.popitem(last=False)
        return table


@functools.cache
def matrix() -> CachedMatrix:
    """The process's travel source."""
    url = os.environ.get("SERVIO_OSRM_URL", "").strip()
    if not url:
        return CachedMatrix(routing.GeodesicMatrix())
    size = os.environ.get("SERVIO_OSRM_MAX_TABLE", "").strip()
    most = int(size) if size.isdigit() and int(size) >= 2 else 100  # OSRM's own default
    return CachedMatrix(routing.OsrmMatrix(url, max_locations=most))
