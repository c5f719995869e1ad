"""Both cores: the better of two searches is kept; a failing or late child costs nothing."""

import os
import time

from routing.twocores import GRACE_S, best_of
from routing.vroomstart import Found


def _found(cost: int) -> Found:
    return Found([[("job", 0)]], (0, 0, cost))


def test_the_forked_search_wins_when_its_plan_is_better() -> None:
    here = os.getpid()

    def run(seed: int) -> Found:  # the child's plan is cheaper and says where it was found
        return _found(100 - seed) if os.getpid() == here else _found(50 + seed)

    assert best_of(run, time.perf_counter() + 2).key == (0, 0, 51)


def test_this_process_wins_ties_and_better_plans() -> None:
    assert best_of(lambda seed: _found(10 + seed), time.perf_counter() + 2).key == (0, 0, 10)


def test_one_process_runs_seed_zero_only() -> None:
    seeds: list[int] = []

    def run(seed: int) -> Found:
        seeds.append(seed)
        return _found(seed)

    best_of(run, time.perf_counter() + 2, processes=1)
    assert seeds == [0]


def test_a_child_that_fails_or_overruns_leaves_this_plan() -> None:
    here = os.getpid()

    def failing(seed: int) -> Found:
        if os.getpid() != here:
            raise RuntimeError("child failed")
        return _found(7)

    assert best_of(failing, time.perf_counter() + 2).key == (0, 0, 7)

    def slow(seed: int) -> Found:
        if os.getpid() != here:
            time.sleep(30)
        return _found(8)

    began = time.perf_counter()
    assert best_of(slow, began + 0.2).key == (0, 0, 8)
    assert time.perf_counter() - began < 0.2 + GRACE_S + 1
