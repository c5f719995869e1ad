"""Solomon loader, independent checker and the `python -m routing.solomon` contract."""

import json
import subprocess
import sys
from pathlib import Path

from routing.solomon import load, route_errors, total_distance

C101 = Path(__file__).parent / "data" / "C101.txt"
BKS_C101 = 828.94


def test_loader_reads_fleet_depot_and_customers() -> None:
    instance = load(C101)
    assert (instance.name, instance.vehicles, instance.capacity) == ("C101", 25, 200)
    assert len(instance.customers) == 100
    assert (instance.depot.x, instance.depot.y, instance.depot.due) == (40, 50, 1236)
    first = instance.customers[0]
    assert (first.number, first.demand, first.ready, first.due, first.service) == (
        1,
        10,
        912,
        967,
        90,
    )


def test_checker_finds_a_missing_customer_and_a_late_arrival() -> None:
    instance = load(C101)
    everyone_alone = [[c.number] for c in instance.customers]
    assert "exceed the fleet" in " ".join(route_errors(instance, everyone_alone))
    late = [[1, 5]]  # customer 5 closes at 67, long after customer 1 (ready 912)
    errors = route_errors(instance, late)
    assert any("not each served" in e for e in errors)
    assert any("customer 5 reached" in e for e in errors)


def test_cli_prints_one_feasible_json_line_per_instance() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "routing.solomon", str(C101), "--time-limit", "2"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    [line] = result.stdout.splitlines()
    record = json.loads(line)
    assert set(record) == {"instance", "vehicles", "distance", "wall_s", "routes", "solver"}
    assert record["solver"] == "routing.solve"
    instance = load(C101)
    assert route_errors(instance, record["routes"]) == []
    assert record["vehicles"] == len(record["routes"])
    assert abs(total_distance(instance, record["routes"]) - record["distance"]) < 0.01
    assert record["distance"] <= BKS_C101 * 1.05
