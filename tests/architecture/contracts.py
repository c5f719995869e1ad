"""Two import-linter contract types that the built-in ones cannot say.

- `acyclic_modules`: no two modules of the given packages import each other, directly or
  through others (imports inside functions count: a lazy import is still a dependency).
- `own_tables`: a domain's tables (`server.<domain>.tables`) are imported only by that domain,
  by other domains' tables (foreign keys) and by migrations; everyone else reads a domain
  through its `api.py` or services.
"""

from __future__ import annotations

from typing import Any

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _cycles(graph: ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child) & modules
                    work.append((child, iter(sorted(imported))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


class AcyclicModulesContract(Contract):
    """No import cycles between modules of the packages."""

    type_name = "acyclic_modules"
    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        """Kept when no module of the packages reaches itself through its imports."""
        modules: set[str] = set()
        for package in self.packages:  # type: ignore[attr-defined]
            modules |= {package, *graph.find_descendants(package)}
        groups = _cycles(graph, modules)
        chains = []
        for group in groups:
            first, second = group[0], group[1]
            there = graph.find_shortest_chain(first, second) or ()
            back = graph.find_shortest_chain(second, first) or ()
            chains.append((list(there), list(back)))
        return ContractCheck(kept=not groups, metadata={"cycles": chains})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """Each cycle as the two chains that close it."""
        for there, back in check.metadata["cycles"]:
            output.print_error(" -> ".join(there) + "  and back: " + " -> ".join(back))
            output.new_line()


class OwnTablesContract(Contract):
    """A domain's tables are read only by the domain itself."""

    type_name = "own_tables"
    root = fields.StringField()

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        """Kept when every import of `<root>.<domain>.tables` comes from an allowed module."""
        root: str = self.root  # type: ignore[attr-defined]
        broken: list[dict[str, Any]] = []
        for tables in sorted(m for m in graph.find_descendants(root) if m.endswith(".tables")):
            domain = tables.rsplit(".", 1)[0]
            for importer in sorted(graph.find_modules_that_directly_import(tables)):
                if _allowed(importer, domain):
                    continue
                details = graph.get_import_details(importer=importer, imported=tables)
                lines = sorted({d["line_number"] for d in details})
                broken.append({"importer": importer, "tables": tables, "lines": lines})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """Each import of another domain's tables with its lines."""
        for item in check.metadata["broken"]:
            lines = ", ".join(f"l.{n}" for n in item["lines"])
            output.print_error(f"{item['importer']} imports {item['tables']} ({lines})")
        output.new_line()


def _allowed(importer: str, domain: str) -> bool:
    return (
        importer == domain
        or importer.startswith(domain + ".")
        or importer.endswith(".tables")  # a foreign key to another domain's table
        or ".migrations." in importer
        or importer.split(".", 1)[0] == "fixtures"  # the demo loader writes rows, as migrations do
        or importer.endswith(".piccolo_app")
    )
