"""Stock's work in the job queue: its big XLSX exports (levels, moves) are written by the
documents domain's export job, which finds them among the lists registered with it. Importing
stock.exports registers them; the worker imports this module with the other domains' jobs."""

from __future__ import annotations

from server.stock import exports

__all__ = ["exports"]
