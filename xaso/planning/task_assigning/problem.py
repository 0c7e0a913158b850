"""The Task Assigning problem: plain dataclasses and a loader for the benchmark JSON.

The JSON files are OptaPlanner/Timefold exports made with Jackson object identities: every
object carries an ``"@id"`` such as ``"Skill#0"``, and other objects refer to it either by
that string or, for its first occurrence, by the inlined object itself.  ``load_problem``
accepts both forms, so hand-written documents may inline whatever they like.

Identifiers are the ``"@id"`` strings; solutions are written as ``{employee @id: [task @id, ...]}``.
"""

from __future__ import annotations

import enum
import json
import os
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T", bound=Hashable)


class ProblemFormatError(ValueError):
    """The document is not a valid Task Assigning problem."""


class Priority(enum.Enum):
    """A task's priority; each one is scored on its own soft level."""

    CRITICAL = "CRITICAL"
    MAJOR = "MAJOR"
    MINOR = "MINOR"


class Affinity(enum.Enum):
    """How well an employee knows a customer; the value multiplies the base duration."""

    NONE = 4
    LOW = 3
    MEDIUM = 2
    HIGH = 1

    @property
    def multiplier(self) -> int:
        return self.value


@dataclass(frozen=True)
class Skill:
    id: str
    name: str = ""


@dataclass(frozen=True)
class Customer:
    id: str
    name: str = ""


@dataclass(frozen=True)
class TaskType:
    id: str
    base_duration: int
    required_skills: tuple[Skill, ...] = ()
    code: str = ""
    title: str = ""


@dataclass(frozen=True)
class Task:
    id: str
    task_type: TaskType
    customer: Customer
    priority: Priority
    ready_time: int = 0
    index_in_task_type: int = 0


@dataclass(frozen=True)
class Employee:
    id: str
    skills: frozenset[Skill] = frozenset()
    affinity_map: Mapping[str, Affinity] = field(default_factory=dict, hash=False, compare=False)
    full_name: str = ""

    def affinity(self, customer: Customer) -> Affinity:
        """The affinity for ``customer``; a customer missing from the map counts as NONE."""
        return self.affinity_map.get(customer.id, Affinity.NONE)

    def duration(self, task: Task) -> int:
        """How long this employee needs for ``task``."""
        return task.task_type.base_duration * self.affinity(task.customer).multiplier

    def missing_skills(self, task: Task) -> int:
        """How many of the task type's required skills this employee lacks."""
        return sum(1 for skill in task.task_type.required_skills if skill not in self.skills)


@dataclass(frozen=True)
class Problem:
    """A data set; ``initial_assignment`` holds the employees' task lists if the file had any."""

    skills: tuple[Skill, ...]
    task_types: tuple[TaskType, ...]
    customers: tuple[Customer, ...]
    tasks: tuple[Task, ...]
    employees: tuple[Employee, ...]
    initial_assignment: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for kind, items in (("task", self.tasks), ("employee", self.employees)):
            ids = [item.id for item in items]
            if len(set(ids)) != len(ids):
                raise ProblemFormatError(f"duplicate {kind} ids")

    @cached_property
    def task_by_id(self) -> Mapping[str, Task]:
        return {task.id: task for task in self.tasks}

    @cached_property
    def employee_by_id(self) -> Mapping[str, Employee]:
        return {employee.id: employee for employee in self.employees}


# --------------------------------------------------------------------------- loading


def _walk(node: object) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


class _Resolver:
    """Turns ``"@id"`` references (strings or inlined objects) into dataclasses, once each."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.raw: dict[str, Mapping[str, Any]] = {}
        for node in _walk(document):
            ident = node.get("@id")
            if isinstance(ident, str) and ident not in self.raw:
                self.raw[ident] = node
        self.skills: dict[str, Skill] = {}
        self.customers: dict[str, Customer] = {}
        self.task_types: dict[str, TaskType] = {}
        self.tasks: dict[str, Task] = {}
        self.employees: dict[str, Employee] = {}

    def _node(self, ref: object, kind: str) -> tuple[str, Mapping[str, Any]]:
        if isinstance(ref, Mapping):
            ident = ref.get("@id")
            if isinstance(ident, str):
                return ident, self.raw.get(ident, ref)
            if "id" in ref:
                return f"{kind}#{ref['id']}", ref
            raise ProblemFormatError(f"a {kind} object has neither '@id' nor 'id'")
        if isinstance(ref, str):
            node = self.raw.get(ref)
            if node is None:
                raise ProblemFormatError(f"unknown {kind} reference {ref!r}")
            return ref, node
        raise ProblemFormatError(f"bad {kind} reference {ref!r}")

    def skill(self, ref: object) -> Skill:
        ident, node = self._node(ref, "Skill")
        if ident not in self.skills:
            self.skills[ident] = Skill(ident, str(node.get("name", "")))
        return self.skills[ident]

    def customer(self, ref: object) -> Customer:
        ident, node = self._node(ref, "Customer")
        if ident not in self.customers:
            self.customers[ident] = Customer(ident, str(node.get("name", "")))
        return self.customers[ident]

    def task_type(self, ref: object) -> TaskType:
        ident, node = self._node(ref, "TaskType")
        if ident not in self.task_types:
            base = _int(node, "baseDuration", ident)
            if base < 0:
                raise ProblemFormatError(f"{ident}: baseDuration must not be negative")
            self.task_types[ident] = TaskType(
                id=ident,
                base_duration=base,
                required_skills=tuple(self.skill(s) for s in _list(node, "requiredSkillList")),
                code=str(node.get("code", "")),
                title=str(node.get("title", "")),
            )
        return self.task_types[ident]

    def task(self, ref: object) -> Task:
        ident, node = self._node(ref, "Task")
        if ident not in self.tasks:
            try:
                priority = Priority(node.get("priority"))
            except ValueError:
                raise ProblemFormatError(f"{ident}: unknown priority {node.get('priority')!r}") from None
            self.tasks[ident] = Task(
                id=ident,
                task_type=self.task_type(node.get("taskType")),
                customer=self.customer(node.get("customer")),
                priority=priority,
                ready_time=_int(node, "readyTime", ident, default=0),
                index_in_task_type=_int(node, "indexInTaskType", ident, default=0),
            )
        return self.tasks[ident]

    def employee(self, ref: object) -> Employee:
        ident, node = self._node(ref, "Employee")
        if ident not in self.employees:
            raw_map = node.get("affinityMap") or {}
            if not isinstance(raw_map, Mapping):
                raise ProblemFormatError(f"{ident}: affinityMap must be an object")
            affinity: dict[str, Affinity] = {}
            for key, value in raw_map.items():
                try:
                    affinity[self.customer(key).id] = Affinity[str(value)]
                except KeyError:
                    raise ProblemFormatError(f"{ident}: unknown affinity {value!r}") from None
            self.employees[ident] = Employee(
                id=ident,
                skills=frozenset(self.skill(s) for s in _list(node, "skillSet")),
                affinity_map=affinity,
                full_name=str(node.get("fullName", "")),
            )
        return self.employees[ident]


def _int(node: Mapping[str, Any], key: str, ident: str, default: int | None = None) -> int:
    value = node.get(key, default)
    if value is None:
        value = default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemFormatError(f"{ident}: {key} must be an integer, got {value!r}")
    return value


def _list(node: Mapping[str, Any], key: str) -> list[Any]:
    value = node.get(key) or []
    if not isinstance(value, list):
        raise ProblemFormatError(f"{key} must be a list")
    return value


def _append_unlisted(listed: list[_T], registry: Mapping[str, _T]) -> None:
    known = set(listed)
    listed.extend(item for item in registry.values() if item not in known)


def load_problem(source: str | os.PathLike[str] | Mapping[str, Any]) -> Problem:
    """Read a Task Assigning data set from a JSON file path or an already-parsed document."""
    if isinstance(source, Mapping):
        document: Any = source
    else:
        document = json.loads(Path(source).read_text(encoding="utf-8"))
    if not isinstance(document, Mapping):
        raise ProblemFormatError("the document must be a JSON object")
    refs = _Resolver(document)
    skills = [refs.skill(s) for s in _list(document, "skillList")]
    task_types = [refs.task_type(t) for t in _list(document, "taskTypeList")]
    customers = [refs.customer(c) for c in _list(document, "customerList")]
    tasks = [refs.task(t) for t in _list(document, "taskList")]
    employees = [refs.employee(e) for e in _list(document, "employeeList")]
    # Objects met only through references (never listed) still belong to the problem.
    _append_unlisted(skills, refs.skills)
    _append_unlisted(task_types, refs.task_types)
    _append_unlisted(customers, refs.customers)
    initial: dict[str, tuple[str, ...]] = {}
    task_ids = {task.id for task in tasks}
    for raw, employee in zip(_list(document, "employeeList"), employees, strict=True):
        listed_tasks = raw.get("tasks") if isinstance(raw, Mapping) else None
        if listed_tasks:
            ids = tuple(refs.task(t).id for t in listed_tasks)
            unknown = set(ids) - task_ids
            if unknown:
                raise ProblemFormatError(f"{employee.id} lists tasks not in taskList: {sorted(unknown)}")
            initial[employee.id] = ids
    return Problem(
        skills=tuple(skills),
        task_types=tuple(task_types),
        customers=tuple(customers),
        tasks=tuple(tasks),
        employees=tuple(employees),
        initial_assignment=initial,
    )


def dump_problem(problem: Problem, assignment: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """The problem (and optionally a solution) in the benchmark's JSON format."""
    assignment = assignment or {}
    owner = {task_id: emp_id for emp_id, task_ids in assignment.items() for task_id in task_ids}

    def number(ident: str) -> int | str:
        suffix = ident.rpartition("#")[2]
        return int(suffix) if suffix.isdigit() else ident

    return {
        "id": 0,
        "skillList": [{"@id": s.id, "id": number(s.id), "name": s.name} for s in problem.skills],
        "taskTypeList": [
            {
                "@id": t.id,
                "id": number(t.id),
                "code": t.code,
                "title": t.title,
                "baseDuration": t.base_duration,
                "requiredSkillList": [s.id for s in t.required_skills],
            }
            for t in problem.task_types
        ],
        "customerList": [{"@id": c.id, "id": number(c.id), "name": c.name} for c in problem.customers],
        "taskList": [
            {
                "@id": t.id,
                "id": number(t.id),
                "taskType": t.task_type.id,
                "indexInTaskType": t.index_in_task_type,
                "customer": t.customer.id,
                "readyTime": t.ready_time,
                "priority": t.priority.value,
                "employee": owner.get(t.id),
                "startTime": None,
            }
            for t in problem.tasks
        ],
        "employeeList": [
            {
                "@id": e.id,
                "id": number(e.id),
                "fullName": e.full_name,
                "skillSet": sorted(s.id for s in e.skills),
                "affinityMap": {cid: a.name for cid, a in e.affinity_map.items()},
                "tasks": list(assignment.get(e.id, ())),
            }
            for e in problem.employees
        ],
        "score": None,
        "frozenCutoff": 0,
    }
