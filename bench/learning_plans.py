"""Speed of assigning a learning plan to a large group and recomputing its status.

    DEBUG=true .venv/bin/python bench/learning_plans.py [--employees 10000] [--group 5000]
        [--rebuild]

The demo generator builds the municipality (seed 1) into the PostgreSQL database
`evne_bench_lplans` on BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/), once;
a finished build of the same size is reused (`--rebuild` builds it again).

A learning plan of three items (CPR, the competence most records are of, due 30 days after hire;
a course, due 60 days after assignment; a task on a date) is assigned to a hand-made group of
`--group` people with current positions. Timed, after one warm-up, five runs each of:

- assigning: adding the group as the plan's target and `update(plan, today)`, which creates one
  assignment per person and item and sets due dates and statuses (the assignments are deleted
  between runs);
- recomputing: `refresh_status(plan, today)` over all of them;
- the daily update when nothing changed: `update(plan, today)` again.

The issue's target: assigning to 5 000 people and recomputing in at most 2 s on PostgreSQL. Not
a test: it prints figures, it does not fail on them.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
workdir = tempfile.mkdtemp(prefix="evne-bench-lplans-")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EVNE_SECURE", "false")
os.environ["EVNE_VAR_DIR"] = workdir
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/start.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evne.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from evne.demo.generator import build_municipality  # noqa: E402
from evne.learning.models import Completion, Course  # noqa: E402
from evne.organization.models import Employment, OrgUnit  # noqa: E402
from evne.plans import assignments  # noqa: E402
from evne.plans.models import (  # noqa: E402
    Assignment,
    AssignmentStatus,
    AssignmentTargetKind,
    DueKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    PeopleGroup,
    PlanTarget,
)

sys.path.insert(0, str(BENCH_DIR))
from coverage import recorded_build, use_database  # noqa: E402

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
DATABASE = "evne_bench_lplans"
BUILD_TABLE = "bench_build"
SEED = 1
RUNS = 5
TARGET_SECONDS = 2.0


def prepare(employees: int, rebuild: bool) -> str:
    admin_url = f"{POSTGRES_URL.rstrip('/')}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        exists = exists.fetchone() is not None
    url = f"{POSTGRES_URL.rstrip('/')}/{DATABASE}"
    if exists and not rebuild:
        use_database(url)
        build = recorded_build()
        if build is not None and build[:2] == (employees, SEED):
            call_command("migrate", verbosity=0)
            return f"reused the build of {build[2]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    use_database(url)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    summary = build_municipality(employees, seed=SEED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"CREATE TABLE {BUILD_TABLE} (employees int, seed int, built_on date)")
        cursor.execute(
            f"INSERT INTO {BUILD_TABLE} VALUES (%s, %s, %s)",  # noqa: S608
            [employees, SEED, timezone.localdate()],
        )
    return (
        f"built in {time.perf_counter() - start:.0f} s ({summary.people} people, "
        f"{summary.employments} positions)"
    )


def bench_plan(group_size: int, today) -> tuple[LearningPlan, PeopleGroup]:
    """A fresh plan of three items and a group of `group_size` people with current positions."""
    leftovers = list(LearningPlan.objects.filter(title__startswith="Benchmark").values_list("pk"))
    Assignment.objects.filter(plan_id__in=[pk for (pk,) in leftovers])._raw_delete(connection.alias)
    LearningPlan.objects.filter(title__startswith="Benchmark").delete()
    PeopleGroup.objects.filter(name__startswith="Benchmark").delete()
    root = OrgUnit.objects.filter(parent=None).order_by("pk").first()
    plan = LearningPlan.objects.create(title="Benchmark: opplæring", unit=root)
    common = (
        Completion.objects.values("course_id").order_by().annotate(n=django.db.models.Count("id"))
    )
    course = Course.objects.get(pk=common.order_by("-n").first()["course_id"])
    grant = course.grants.select_related("competence").first()
    LearningPlanItem.objects.create(
        plan=plan,
        position=1,
        kind=ItemKind.COMPETENCE,
        competence=grant.competence,
        level=grant.level,
        due_kind=DueKind.AFTER_HIRE,
        due_days=30,
    )
    LearningPlanItem.objects.create(
        plan=plan,
        position=2,
        kind=ItemKind.COURSE,
        course=course,
        due_kind=DueKind.AFTER_ASSIGNMENT,
        due_days=60,
    )
    LearningPlanItem.objects.create(
        plan=plan,
        position=3,
        kind=ItemKind.TASK,
        title="Les rutinene",
        due_kind=DueKind.DATE,
        due_on=today,
    )
    group = PeopleGroup.objects.create(name="Benchmark-gruppe", unit=root)
    people = (
        Employment.objects.active_on(today)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()[:group_size]
    )
    group.members.add(*people)
    return plan, group


def timed(work, before=None) -> tuple[float, float, object]:
    """Median and max seconds of RUNS runs after one warm-up; `before` runs untimed first."""
    seconds, answer = [], None
    for run in range(RUNS + 1):
        if before:
            before()
        start = time.perf_counter()
        answer = work()
        if run:
            seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), max(seconds), answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--group", type=int, default=5_000)
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args()
    print(f"PostgreSQL {DATABASE}, {options.employees} employees: ", end="", flush=True)
    print(prepare(options.employees, options.rebuild))
    today = timezone.localdate()
    plan, group = bench_plan(options.group, today)
    print(f"group: {group.members.count()} people; plan: {plan.items.count()} items")

    def clear():
        # Without the audit log's row-by-row deletion: this only resets the benchmark.
        with transaction.atomic():
            Assignment.objects.filter(plan=plan)._raw_delete(connection.alias)
            PlanTarget.objects.filter(plan=plan)._raw_delete(connection.alias)

    def assign():
        with transaction.atomic():
            PlanTarget.objects.create(plan=plan, kind=AssignmentTargetKind.GROUP, group=group)
            return assignments.update(plan, today).count()

    rows = []
    median, worst, created = timed(assign, before=clear)
    rows.append(("assign to the group (create, due dates, statuses)", median, worst, created))
    median, worst, _ = timed(lambda: assignments.refresh_status(plan, today))
    rows.append(("recompute the status", median, worst, created))
    median, worst, _ = timed(lambda: assignments.update(plan, today).count())
    rows.append(("daily update, nothing changed", median, worst, created))
    print(f"\n{'step':<52} {'median s':>9} {'max s':>7} {'assignments':>12}")
    for name, median, worst, count in rows:
        print(f"{name:<52} {median:>9.3f} {worst:>7.3f} {count:>12}")
    statuses = dict(
        Assignment.objects.filter(plan=plan)
        .values_list("status")
        .annotate(n=django.db.models.Count("id"))
        .order_by()
    )
    print("statuses:", {AssignmentStatus(k).label: v for k, v in sorted(statuses.items())})
    total = rows[0][1] + rows[1][1]
    verdict = "meets" if total <= TARGET_SECONDS else "misses"
    print(f"\nassign + recompute: {total:.2f} s (target ≤ {TARGET_SECONDS:.0f} s): {verdict} it")
    clear()
    LearningPlan.objects.filter(pk=plan.pk).delete()  # its items; the assignments are gone
    group.delete()


if __name__ == "__main__":
    main()
