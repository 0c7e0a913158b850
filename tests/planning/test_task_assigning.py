"""Task Assigning: the scorer on hand-computed cases, the loader, the solver and the CLI.

The tiny data set (tests/planning/data/tiny-4tasks-3employees.json) has two skills, two
customers and two task types: TaskType#0 (base 10, needs Skill#0) and TaskType#1 (base 5,
needs Skill#0 and Skill#1).  Employee#0 has Skill#0 and affinities Customer#0 HIGH,
Customer#1 LOW; Employee#1 has both skills and Customer#0 MEDIUM (Customer#1 missing, so
NONE); Employee#2 has nothing.  Tasks: #0 type 0 Customer#0 CRITICAL; #1 type 1 Customer#1
MAJOR; #2 type 0 Customer#1 MINOR ready at 30; #3 type 1 Customer#0 CRITICAL.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from xaso.planning.task_assigning import (
    Affinity,
    Customer,
    Employee,
    Priority,
    Problem,
    Score,
    Skill,
    Task,
    TaskType,
    dump_problem,
    load_problem,
    score,
    solve,
)
from xaso.planning.task_assigning.__main__ import main
from xaso.planning.task_assigning.demo_data import demo_problem
from xaso.planning.task_assigning.matching import min_total_completion
from xaso.planning.task_assigning.problem import ProblemFormatError
from xaso.planning.task_assigning.score import (
    build_timeline,
    critical_end_times,
    employee_end_time,
    employee_end_times_squared,
    major_end_times,
    minor_end_times,
    missing_skills,
)
from xaso.planning.task_assigning.solver import _Model, _SortedSearch

TINY = Path(__file__).parent / "data" / "tiny-4tasks-3employees.json"


@pytest.fixture(scope="module")
def tiny() -> Problem:
    return load_problem(TINY)


def _plan(e0: list[int], e1: list[int], e2: list[int] | None = None) -> dict[str, list[str]]:
    return {
        "Employee#0": [f"Task#{i}" for i in e0],
        "Employee#1": [f"Task#{i}" for i in e1],
        "Employee#2": [f"Task#{i}" for i in e2 or []],
    }


# --------------------------------------------------------------------------- scorer


def test_it_scores_a_hand_computed_solution(tiny: Problem) -> None:
    # Employee#0: Task#0 10×HIGH(1) = 10 → 0..10; Task#2 10×LOW(3) = 30, ready 30 → 30..60.
    # Employee#1: Task#3 5×MEDIUM(2) = 10 → 0..10; Task#1 5×NONE(4) = 20 → 10..30.
    result = score(tiny, _plan([0, 2], [3, 1]))
    assert result == Score(0, (-20, -(60**2 + 30**2), -30, -60))
    assert str(result) == "[0]hard/[-20/-4500/-30/-60]soft"


def test_it_counts_each_missing_skill(tiny: Problem) -> None:
    # Task#3 (needs Skill#0+1) on Employee#0 (Skill#0 only): 1; Task#1 on Employee#2: 2.
    timeline = build_timeline(tiny, _plan([0, 3], [2], [1]))
    assert missing_skills(timeline) == -3
    assert score(tiny, _plan([0, 3], [2], [1])).hard == -3


def test_it_sums_critical_end_times(tiny: Problem) -> None:
    # Employee#1: Task#1 0..20, Task#3 20..30; Employee#0: Task#2 30..60, Task#0 60..70.
    timeline = build_timeline(tiny, _plan([2, 0], [1, 3]))
    assert critical_end_times(timeline) == -(30 + 70)


def test_it_sums_squared_employee_end_times(tiny: Problem) -> None:
    timeline = build_timeline(tiny, _plan([2, 0], [1, 3]))
    assert employee_end_times_squared(timeline) == -(70**2 + 30**2 + 0)


def test_it_sums_major_end_times(tiny: Problem) -> None:
    timeline = build_timeline(tiny, _plan([2, 0], [1, 3]))
    assert major_end_times(timeline) == -20


def test_it_sums_minor_end_times(tiny: Problem) -> None:
    timeline = build_timeline(tiny, _plan([2, 0], [1, 3]))
    assert minor_end_times(timeline) == -60
    assert score(tiny, _plan([2, 0], [1, 3])) == Score(0, (-100, -5800, -20, -60))


def test_it_waits_for_the_ready_time(tiny: Problem) -> None:
    timeline = build_timeline(tiny, _plan([0, 2], [3, 1]))
    waited = timeline["Employee#0"][1]
    assert (waited.task.id, waited.start, waited.end) == ("Task#2", 30, 60)  # previous ended at 10
    alone = build_timeline(tiny, _plan([0], [2, 3, 1]))["Employee#1"][0]
    assert (alone.start, alone.end) == (30, 70)  # first task: max(readyTime, 0), 10×NONE(4)
    late = build_timeline(tiny, _plan([], [3, 1, 2, 0]))["Employee#1"]
    assert [(item.start, item.end) for item in late] == [(0, 10), (10, 30), (30, 70), (70, 90)]


@pytest.mark.parametrize(
    ("affinity", "expected_end"),
    [(Affinity.NONE, 28), (Affinity.LOW, 21), (Affinity.MEDIUM, 14), (Affinity.HIGH, 7), (None, 28)],
)
def test_it_multiplies_the_base_duration_by_the_affinity(
    affinity: Affinity | None, expected_end: int
) -> None:
    customer = Customer("Customer#0")
    task_type = TaskType("TaskType#0", base_duration=7)
    employee = Employee("Employee#0", affinity_map={} if affinity is None else {customer.id: affinity})
    task = Task("Task#0", task_type, customer, Priority.MINOR)
    problem = Problem((), (task_type,), (customer,), (task,), (employee,))
    assert score(problem, {"Employee#0": ["Task#0"]}) == Score(0, (0, -(expected_end**2), 0, -expected_end))


def test_it_gives_an_employee_without_tasks_end_time_zero(tiny: Problem) -> None:
    timeline = build_timeline(tiny, _plan([], [0, 1, 2, 3]))
    assert timeline["Employee#0"] == []
    assert employee_end_time(timeline["Employee#0"]) == 0
    # Employee#1 alone: Task#0 0..20, Task#1 20..40, Task#2 40..80 (ready at 30), Task#3 80..90.
    assert employee_end_times_squared(timeline) == -(90**2)


def test_it_rejects_incomplete_or_duplicated_solutions(tiny: Problem) -> None:
    with pytest.raises(ValueError, match="unassigned"):
        score(tiny, _plan([0], [1, 2]))
    with pytest.raises(ValueError, match="more than once"):
        score(tiny, _plan([0, 1], [1, 2, 3]))
    with pytest.raises(ValueError, match="unknown"):
        score(tiny, {"Employee#9": ["Task#0"]})


def test_it_compares_scores_lexicographically_and_parses_them() -> None:
    assert Score(0, (-10, -(10**9), -(10**9), -(10**9))) > Score(0, (-11, 0, 0, 0)) > Score(-1, (0, 0, 0, 0))
    text = "[-2]hard/[-1200/-350000/-4000/-9000]soft"
    assert str(Score.parse(text)) == text
    with pytest.raises(ValueError):
        Score.parse("0hard/0soft")


# --------------------------------------------------------------------------- loader


def test_it_loads_the_benchmark_format(tiny: Problem) -> None:
    assert [t.id for t in tiny.tasks] == ["Task#0", "Task#1", "Task#2", "Task#3"]
    task = tiny.task_by_id["Task#2"]
    assert (task.priority, task.ready_time, task.customer.name) == (Priority.MINOR, 30, "Thôn Tây")
    assert task.task_type.base_duration == 10
    assert [s.id for s in tiny.task_by_id["Task#1"].task_type.required_skills] == ["Skill#0", "Skill#1"]
    amy = tiny.employee_by_id["Employee#0"]
    assert amy.full_name == "An"
    assert {s.id for s in amy.skills} == {"Skill#0"}
    assert amy.affinity(tiny.customers[1]) is Affinity.LOW
    assert tiny.employee_by_id["Employee#1"].affinity(tiny.customers[1]) is Affinity.NONE
    assert tiny.initial_assignment == {}


def test_it_resolves_inlined_objects_and_reads_task_lists() -> None:
    document: dict[str, Any] = {
        "skillList": [],
        "taskTypeList": [
            {
                "@id": "TaskType#0",
                "baseDuration": 3,
                "requiredSkillList": [{"@id": "Skill#7", "id": 7, "name": "Inlined"}],
            }
        ],
        "customerList": [{"@id": "Customer#0", "id": 0, "name": "C"}],
        "taskList": [
            {"@id": "Task#0", "taskType": "TaskType#0", "customer": "Customer#0", "priority": "MAJOR"},
            {"@id": "Task#1", "taskType": "TaskType#0", "customer": "Customer#0", "priority": "MINOR"},
        ],
        "employeeList": [
            {
                "@id": "Employee#0",
                "skillSet": ["Skill#7"],
                "affinityMap": {"Customer#0": "MEDIUM"},
                "tasks": ["Task#1", "Task#0"],
            }
        ],
    }
    problem = load_problem(document)
    assert [s.id for s in problem.skills] == ["Skill#7"]  # met only through a reference
    assert problem.employees[0].missing_skills(problem.tasks[0]) == 0
    assert problem.initial_assignment == {"Employee#0": ("Task#1", "Task#0")}
    assert problem.tasks[0].ready_time == 0


def test_it_reports_broken_references() -> None:
    document = json.loads(TINY.read_text(encoding="utf-8"))
    document["taskList"][0]["customer"] = "Customer#99"
    with pytest.raises(ProblemFormatError, match="Customer#99"):
        load_problem(document)


def test_it_round_trips_through_dump_problem(tiny: Problem) -> None:
    again = load_problem(json.loads(json.dumps(dump_problem(tiny, _plan([0], [1, 2, 3])))))
    assert again.tasks == tiny.tasks
    assert again.employees == tiny.employees
    assert again.initial_assignment == {
        "Employee#0": ("Task#0",),
        "Employee#1": ("Task#1", "Task#2", "Task#3"),
    }


# --------------------------------------------------------------------------- solver


def _brute_force_best(problem: Problem) -> Score:
    """Every way to split the tasks into ordered lists, one per employee."""
    ids = [t.id for t in problem.tasks]
    separators = [f"|{i}" for i in range(len(problem.employees) - 1)]
    best: Score | None = None
    for order in itertools.permutations(ids + separators):
        lists: list[list[str]] = [[]]
        for item in order:
            if item.startswith("|"):
                lists.append([])
            else:
                lists[-1].append(item)
        value = score(problem, {e.id: lists[i] for i, e in enumerate(problem.employees)})
        if best is None or value > best:
            best = value
    assert best is not None
    return best


def test_it_finds_the_optimum_of_tiny_instances(tiny: Problem) -> None:
    result = solve(tiny, seconds=5, seed=0, max_iterations=3000)
    assert not result.sorted_mode  # Task#2 has a ready time: any order may be best
    assert result.score == _brute_force_best(tiny)
    no_waits = demo_problem(6, 2, seed=3)
    result = solve(no_waits, seconds=5, seed=0, max_iterations=3000)
    assert result.sorted_mode
    assert result.score == _brute_force_best(no_waits)


@pytest.mark.parametrize("ready_times", [False, True])
def test_it_reaches_hard_zero_on_the_demo_data(ready_times: bool) -> None:
    problem = demo_problem(60, 6, seed=1, ready_times=ready_times)
    started = time.perf_counter()
    result = solve(problem, seconds=0.5, seed=0)
    assert time.perf_counter() - started < 2.0
    assert result.score.hard == 0
    assert result.score == score(problem, result.assignment)
    assert sorted(t for ts in result.assignment.values() for t in ts) == sorted(t.id for t in problem.tasks)


@pytest.mark.parametrize("ready_times", [False, True])
def test_it_is_deterministic_for_a_seed_and_an_iteration_budget(ready_times: bool) -> None:
    problem = demo_problem(50, 5, seed=2, ready_times=ready_times)
    first = solve(problem, seconds=30, seed=7, max_iterations=20_000)
    second = solve(problem, seconds=30, seed=7, max_iterations=20_000)
    assert first.iterations == second.iterations == 20_000
    assert (first.assignment, first.score) == (second.assignment, second.score)


@pytest.mark.parametrize("ready_times", [False, True])
def test_it_keeps_its_incremental_score_equal_to_the_reference(ready_times: bool) -> None:
    for seed in range(4):
        problem = demo_problem(40, 5, seed=seed, ready_times=ready_times)
        result = solve(problem, seconds=30, seed=seed, max_iterations=5_000)
        assert result.tracked_score == result.score


def test_it_applies_every_sorted_move_with_the_predicted_delta() -> None:
    model = _Model(demo_problem(40, 5, seed=4))
    search = _SortedSearch(model)
    search.construct({})
    rnd = __import__("random").Random(1).random
    checked = 0
    for _ in range(2_000):
        delta = search.propose(rnd)
        if delta is None:
            continue
        before = search.value
        search.commit()
        search.value = before + delta
        assert search.value == sum(model.list_value(e, search.seq[e]) for e in range(model.m))
        checked += 1
    assert checked > 1_000


def test_it_places_critical_tasks_optimally_by_assignment() -> None:
    # Two employees; durations by employee.  Brute force over all splits in SPT order.
    duration = [[4, 2, 7, 3, 5], [6, 1, 3, 8, 2]]
    allowed = [[0, 1], [0, 1], [0, 1], [0], [0, 1]]

    def total(lists: list[list[int]]) -> int:
        result = 0
        for e, seq in enumerate(lists):
            end = 0
            for t in sorted(seq, key=lambda t: duration[e][t]):
                end += duration[e][t]
                result += end
        return result

    best = min(
        total([[t for t in range(5) if side[t] == 0], [t for t in range(5) if side[t] == 1]])
        for side in itertools.product((0, 1), repeat=5)
        if all(side[t] in allowed[t] for t in range(5))
    )
    lists = min_total_completion(range(5), allowed, duration, 2)
    assert total(lists) == best
    assert all(
        duration[e][a] <= duration[e][b] for e, seq in enumerate(lists) for a, b in itertools.pairwise(seq)
    )


def test_it_minimises_missing_skills_when_nobody_has_them() -> None:
    skill = Skill("Skill#0")
    customer = Customer("Customer#0")
    task_type = TaskType("TaskType#0", base_duration=2, required_skills=(skill,))
    task = Task("Task#0", task_type, customer, Priority.CRITICAL)
    problem = Problem((skill,), (task_type,), (customer,), (task,), (Employee("Employee#0"),))
    assert solve(problem, seconds=1, max_iterations=100).score.hard == -1


def test_it_returns_the_best_solution_when_time_runs_out() -> None:
    problem = demo_problem(300, 12, seed=5)
    started = time.perf_counter()
    result = solve(problem, seconds=0.3, seed=0)
    assert time.perf_counter() - started < 1.5
    assert result.score == score(problem, result.assignment)
    assert result.score.hard == 0


# --------------------------------------------------------------------------- CLI


def test_it_prints_the_score_last_and_writes_the_solution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = demo_problem(30, 4, seed=6)
    source = tmp_path / "demo.json"
    source.write_text(json.dumps(dump_problem(problem)), encoding="utf-8")
    out = tmp_path / "solution.json"
    assert (
        main([str(source), "--seconds", "5", "--seed", "3", "--iterations", "2000", "--out", str(out)]) == 0
    )
    captured = capsys.readouterr()
    last = captured.out.strip().splitlines()[-1]
    solution = json.loads(out.read_text(encoding="utf-8"))
    assert set(solution) == {e.id for e in problem.employees}
    assert Score.parse(last) == score(problem, solution)
    assert "moves" in captured.err  # progress goes to stderr


def test_it_runs_as_a_module(tmp_path: Path) -> None:
    out = tmp_path / "solution.json"
    run = subprocess.run(  # noqa: S603 — fixed arguments, our own module
        [
            sys.executable,
            "-m",
            "xaso.planning.task_assigning",
            str(TINY),
            "--seconds",
            "0.2",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert run.stdout.strip().splitlines()[-1] == str(score(load_problem(TINY), json.loads(out.read_text())))


def test_it_rejects_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main([str(bad), "--seconds", "0.1"]) == 2
    assert "invalid data set" in capsys.readouterr().err
