"""Timefold Solver in Java (the jars shipped inside the ``timefold`` wheel) on Task Assigning.

Benchmark-only.  The Python API of Timefold runs our constraint lambdas through its Python
bytecode translator, which is far slower than Timefold's native speed; to compare against
Timefold as its Java users see it, this module compiles a small Java model with ``javac``
(JDK 17+) against ``timefold-solver-core`` from the wheel and runs it::

    python benchmarks/task_assigning_timefold_java.py FILE.json --seconds 10

The model follows the reference example: one ``@PlanningListVariable`` of tasks per employee,
end times as a ``@CascadingUpdateShadowVariable``, constraint streams with one constraint per
score level on a ``BendableLongScore`` (1 hard, 4 soft), default phases (construction
heuristic, then late acceptance).  The solution is re-scored with our reference scorer, and
the score is the last stdout line.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xaso.planning.task_assigning import Priority, Problem, load_problem, score

JAVA_SOURCE = r"""
package bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.domain.variable.CascadingUpdateShadowVariable;
import ai.timefold.solver.core.api.domain.variable.InverseRelationShadowVariable;
import ai.timefold.solver.core.api.domain.variable.PlanningListVariable;
import ai.timefold.solver.core.api.domain.variable.PreviousElementShadowVariable;
import ai.timefold.solver.core.api.score.buildin.bendablelong.BendableLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.ConstraintProvider;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;

public class TaskAssigning {

    @PlanningEntity
    public static class Task {
        @PlanningId
        public Integer id;
        public int readyTime;
        public int priority;
        public int[] durations;
        public int[] missing;
        @InverseRelationShadowVariable(sourceVariableName = "tasks")
        public Employee employee;
        @PreviousElementShadowVariable(sourceVariableName = "tasks")
        public Task previousTask;
        @CascadingUpdateShadowVariable(targetMethodName = "updateEndTime")
        public Integer endTime;

        public Task() {
        }

        public void updateEndTime() {
            if (employee == null) {
                endTime = null;
                return;
            }
            int start = Math.max(readyTime, 0);
            if (previousTask != null && previousTask.endTime != null) {
                start = Math.max(start, previousTask.endTime);
            }
            endTime = start + durations[employee.index];
        }
    }

    @PlanningEntity
    public static class Employee {
        @PlanningId
        public Integer id;
        public int index;
        @PlanningListVariable
        public List<Task> tasks = new ArrayList<>();

        public Employee() {
        }

        public long endTime() {
            if (tasks.isEmpty()) {
                return 0L;
            }
            Integer end = tasks.get(tasks.size() - 1).endTime;
            return end == null ? 0L : end;
        }
    }

    @PlanningSolution
    public static class Schedule {
        @PlanningEntityCollectionProperty
        public List<Employee> employees;
        @PlanningEntityCollectionProperty
        @ValueRangeProvider
        public List<Task> tasks;
        @PlanningScore(bendableHardLevelsSize = 1, bendableSoftLevelsSize = 4)
        public BendableLongScore score;

        public Schedule() {
        }
    }

    public static class Constraints implements ConstraintProvider {
        private static BendableLongScore soft(int level) {
            return BendableLongScore.ofSoft(1, 4, level, 1L);
        }

        private static Constraint endTimes(ConstraintFactory factory, int priority, String name) {
            return factory.forEach(Task.class)
                    .filter(task -> task.priority == priority && task.endTime != null)
                    .penalizeLong(soft(priority == 0 ? 0 : priority + 1), task -> task.endTime)
                    .asConstraint(name);
        }

        @Override
        public Constraint[] defineConstraints(ConstraintFactory factory) {
            return new Constraint[] {
                    factory.forEach(Task.class)
                            .filter(task -> task.employee != null && task.missing[task.employee.index] > 0)
                            .penalizeLong(BendableLongScore.ofHard(1, 4, 0, 1L),
                                    task -> task.missing[task.employee.index])
                            .asConstraint("missing skills"),
                    endTimes(factory, 0, "critical end times"),
                    factory.forEach(Employee.class)
                            .penalizeLong(soft(1), employee -> employee.endTime() * employee.endTime())
                            .asConstraint("employee end times squared"),
                    endTimes(factory, 1, "major end times"),
                    endTimes(factory, 2, "minor end times"),
            };
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        long millis = Long.parseLong(args[1]);
        String[] head = lines.get(0).trim().split(" ");
        int n = Integer.parseInt(head[0]);
        int m = Integer.parseInt(head[1]);
        Schedule problem = new Schedule();
        problem.employees = new ArrayList<>();
        problem.tasks = new ArrayList<>();
        for (int e = 0; e < m; e++) {
            Employee employee = new Employee();
            employee.id = e;
            employee.index = e;
            problem.employees.add(employee);
        }
        for (int t = 0; t < n; t++) {
            String[] f = lines.get(1 + t).trim().split(" ");
            Task task = new Task();
            task.id = t;
            task.readyTime = Integer.parseInt(f[0]);
            task.priority = Integer.parseInt(f[1]);
            task.durations = new int[m];
            task.missing = new int[m];
            for (int e = 0; e < m; e++) {
                task.durations[e] = Integer.parseInt(f[2 + e]);
                task.missing[e] = Integer.parseInt(f[2 + m + e]);
            }
            problem.tasks.add(task);
        }
        SolverConfig config = new SolverConfig()
                .withSolutionClass(Schedule.class)
                .withEntityClasses(Employee.class, Task.class)
                .withConstraintProviderClass(Constraints.class)
                .withTerminationSpentLimit(Duration.ofMillis(millis));
        Solver<Schedule> solver = SolverFactory.<Schedule>create(config).buildSolver();
        Schedule best = solver.solve(problem);
        StringBuilder out = new StringBuilder();
        for (Employee employee : best.employees) {
            out.append(employee.index).append(':');
            for (Task task : employee.tasks) {
                out.append(' ').append(task.id);
            }
            out.append('\n');
        }
        out.append("SCORE ").append(best.score).append('\n');
        System.out.print(out);
    }
}
"""

LOGBACK = """<configuration>
  <appender name="err" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %msg%n</pattern></encoder>
  </appender>
  <logger name="ai.timefold" level="INFO"/>
  <root level="WARN"><appender-ref ref="err"/></root>
</configuration>
"""

_PRIORITY = {Priority.CRITICAL: 0, Priority.MAJOR: 1, Priority.MINOR: 2}


def jars_dir() -> Path:
    """The jar folder inside the installed ``timefold`` wheel (without starting a JVM)."""
    spec = importlib.util.find_spec("timefold")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the timefold package is not installed (pip install timefold)")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "solver" / "jars"
        if any(candidate.glob("timefold-solver-core-*.jar")):
            return candidate
    raise RuntimeError("timefold-solver-core jar not found inside the timefold package")


def compiled_classes() -> tuple[Path, str]:
    """Compile the model once per source/jar version; returns (class dir, class path)."""
    jars = jars_dir()
    javac = shutil.which("javac")
    if javac is None:
        raise RuntimeError("javac (JDK 17+) not found")
    # Only Timefold's core and its runtime dependencies: the wheel also ships its Python
    # bridge and test libraries, whose logback.xml would hijack the logging set-up.
    skip = (
        "timefold-solver-python",
        "jpyinterpreter",
        "timefold-solver-test",
        "junit",
        "mockito",
        "assertj",
        "opentest4j",
        "byte-buddy",
        "objenesis",
    )
    classpath = ":".join(str(jar) for jar in sorted(jars.glob("*.jar")) if not jar.name.startswith(skip))
    digest = hashlib.sha256((JAVA_SOURCE + LOGBACK + str(jars)).encode()).hexdigest()[:16]
    out = Path(tempfile.gettempdir()) / f"xaso-task-assigning-timefold-{digest}"
    if not (out / "bench" / "TaskAssigning.class").exists():
        src = out / "src" / "bench"
        src.mkdir(parents=True, exist_ok=True)
        (src / "TaskAssigning.java").write_text(JAVA_SOURCE, encoding="utf-8")
        subprocess.run(
            [javac, "-nowarn", "-d", str(out), "-cp", classpath, str(src / "TaskAssigning.java")],
            check=True,
            capture_output=True,
            text=True,
        )
        (out / "logback.xml").write_text(LOGBACK, encoding="utf-8")
    return out, f"{out}:{classpath}"


def problem_as_text(problem: Problem) -> str:
    rows = [f"{len(problem.tasks)} {len(problem.employees)}"]
    for task in problem.tasks:
        durations = [employee.duration(task) for employee in problem.employees]
        missing = [employee.missing_skills(task) for employee in problem.employees]
        rows.append(
            " ".join(str(x) for x in [task.ready_time, _PRIORITY[task.priority], *durations, *missing])
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Timefold Solver (Java) on a Task Assigning data set.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    problem = load_problem(args.file)
    classes, classpath = compiled_classes()
    java = shutil.which("java") or "java"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "problem.txt"
        data.write_text(problem_as_text(problem), encoding="utf-8")
        started = time.perf_counter()
        run = subprocess.run(
            [
                java,
                f"-Dlogback.configurationFile={classes / 'logback.xml'}",
                "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                "-cp",
                classpath,
                "bench.TaskAssigning",
                str(data),
                str(round(args.seconds * 1000)),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        print(f"java failed with exit code {run.returncode}", file=sys.stderr)
        return 1
    assignment: dict[str, list[str]] = {}
    timefold_score = ""
    for line in run.stdout.splitlines():
        if line.startswith("SCORE "):
            timefold_score = line[6:]
        elif ":" in line:
            e_text, _, tasks_text = line.partition(":")
            assignment[problem.employees[int(e_text)].id] = [
                problem.tasks[int(t)].id for t in tasks_text.split()
            ]
    try:
        checked = str(score(problem, assignment))
    except ValueError as error:  # Timefold stopped before assigning every task
        checked = f"incomplete ({error})"
    print(
        f"timefold-java: wall {elapsed:.1f}s, timefold score {timefold_score}, re-checked {checked}",
        file=sys.stderr,
    )
    print(checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
