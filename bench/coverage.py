"""Speed of the gap engine on generated municipalities, and of the unit overview page under load.

    DEBUG=true .venv/bin/python bench/coverage.py [--sizes 10000 50000 500000]
        [--database sqlite|postgres|both] [--rebuild] [--no-load] [--explain]

For each database and size, the demo generator builds the municipality (seed 1) into its own
database, once: PostgreSQL `evne_bench_10k`, `evne_bench_50k`, `evne_bench_500k` on
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/), SQLite `var/bench/
coverage-N.sqlite3`. A database that already holds a finished build of the same size and seed is
reused (`--rebuild` builds it again), because 500 000 people take a while.

Then, after one warm-up, five timed runs each of:
- the whole-municipality coverage matrix: `coverage_for(root)` as the demo's HR user sees it,
  and the same plus every cell of the matrix page's first level (the root and its areas against
  every competence required anywhere);
- the unit overview's engine calls for the demo leader's nursing home: `assessments_in` and
  `staffing_for` (and `coverage_for` of the unit, which the page's summary reads).

Finally, on the 10 000-employee PostgreSQL database, the unit overview page (URL name
`unit_overview`) under load: gunicorn (Evne's production server, as docs/operations.md runs it)
on loopback with DEBUG off; one client alone, then 20 clients at once, each signed in as `leder`
through the sign-in form, with a bounded number of requests and a time limit (bench/load.py).
Prints p50, p95, p99, max and errors. `--explain` prints PostgreSQL's EXPLAIN ANALYZE of the
matrix's figures query.

Not a test: it prints figures and the issue's targets, it does not fail on them.
"""

import argparse
import contextlib
import datetime
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
SQLITE_DIR = BENCH_DIR.parent / "var" / "bench"
workdir = tempfile.mkdtemp(prefix="evne-bench-coverage-")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EVNE_SECURE", "false")
os.environ["EVNE_VAR_DIR"] = workdir
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/start.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evne.settings")

import django  # noqa: E402

django.setup()

import dj_database_url  # noqa: E402
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from evne.accounts.models import User  # noqa: E402
from evne.analysis import sql  # noqa: E402
from evne.analysis.engine import (  # noqa: E402
    Options,
    assessments_in,
    coverage_for,
    staffing_for,
)
from evne.core.visibility import visibility_for  # noqa: E402
from evne.demo.generator import build_municipality  # noqa: E402
from evne.demo.logins import DEMO_PASSWORD  # noqa: E402
from evne.organization.models import Employment, OrgUnit, Person  # noqa: E402

sys.path.insert(0, str(BENCH_DIR))
from load import run_load  # noqa: E402

# Production runs without DEBUG; with it Django would also log the SQL of every query.
settings.DEBUG = False

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
SEED = 1
RUNS = 5
# A call slower than this is timed once, not six times; one past the limit is stopped.
SLOW_SECONDS = 30
CALL_LIMIT_SECONDS = 180
# Matrix targets on PostgreSQL, seconds, by size.
MATRIX_TARGETS = {10_000: 0.5, 50_000: 2.0, 500_000: 20.0}
LOAD_SIZE = 10_000
LOAD_CLIENTS = 20
LOAD_REQUESTS = 400
LOAD_BASELINE_REQUESTS = 30
LOAD_SECONDS = 60
LOAD_TARGET_P95_MS = 150
# As docs/operations.md runs it in production.
GUNICORN_WORKERS = 3
BUILD_TABLE = "bench_build"


# Databases


def database_url(engine: str, size: int) -> str:
    if engine == "sqlite":
        return f"sqlite:///{SQLITE_DIR / f'coverage-{size}.sqlite3'}"
    return f"{POSTGRES_URL.rstrip('/')}/{postgres_name(size)}"


def postgres_name(size: int) -> str:
    return f"evne_bench_{size // 1000}k" if size % 1000 == 0 else f"evne_bench_{size}"


def maintenance_url() -> str:
    return f"{POSTGRES_URL.rstrip('/')}/postgres"


def use_database(url: str) -> None:
    """Point Django's default connection at another database."""
    connections.close_all()
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = settings.SQLITE_OPTIONS
    settings.DATABASES = {"default": config}
    connections._settings = connections.configure_settings(settings.DATABASES)
    connections.__dict__.pop("settings", None)  # a cached property
    del connections["default"]
    ContentType.objects.clear_cache()


def recorded_build() -> tuple[int, int, str] | None:
    """(employees, seed, day built) of the finished build in the current database, if any."""
    with connection.cursor() as cursor:
        if BUILD_TABLE not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT employees, seed, built_on FROM {BUILD_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    return (row[0], row[1], str(row[2])) if row else None


def empty_database(engine: str, size: int) -> None:
    """Drop and create the size's database, so that a build starts from nothing."""
    connections.close_all()
    if engine == "sqlite":
        path = SQLITE_DIR / f"coverage-{size}.sqlite3"
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    name = postgres_name(size)
    assert name.startswith("evne_bench_")
    with psycopg.connect(maintenance_url(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def postgres_exists(size: int) -> bool:
    with psycopg.connect(maintenance_url(), autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [postgres_name(size)])
        return found.fetchone() is not None


def prepare(engine: str, size: int, rebuild: bool) -> str:
    """Use the size's database, building the municipality into it unless a finished build of
    the same size and seed is there. Returns what was done, for the report."""
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    exists = (SQLITE_DIR / f"coverage-{size}.sqlite3").exists()
    if engine == "postgres":
        exists = postgres_exists(size)
    if exists and not rebuild:
        use_database(database_url(engine, size))
        build = recorded_build()
        if build is not None and build[:2] == (size, SEED):
            # New migrations of other apps may have arrived since the build.
            call_command("migrate", verbosity=0)
            return f"reused the build of {build[2]}"
    empty_database(engine, size)
    use_database(database_url(engine, size))
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    summary = build_municipality(size, seed=SEED)
    seconds = time.perf_counter() - start
    if engine == "postgres":
        # A fresh bulk load has no planner statistics until autovacuum gets to it, and without
        # them PostgreSQL guesses row counts and can pick nested loops over 500 000 rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {BUILD_TABLE} (employees int, seed int, built_on date)")
        cursor.execute(
            f"INSERT INTO {BUILD_TABLE} VALUES (%s, %s, %s)",  # noqa: S608
            [size, SEED, timezone.localdate()],
        )
    return (
        f"built in {seconds:.0f} s ({summary.people} people, {summary.employments} positions, "
        f"{summary.units} units)"
    )


# Measuring


class Stopped(Exception):
    """A call ran past CALL_LIMIT_SECONDS and was interrupted."""


@contextlib.contextmanager
def call_limit():
    """Interrupt the database after CALL_LIMIT_SECONDS, so one slow plan cannot stall the run."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {CALL_LIMIT_SECONDS * 1000}")
        try:
            yield
        except django.db.OperationalError as error:
            raise Stopped from error
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        return
    connection.ensure_connection()
    timer = threading.Timer(CALL_LIMIT_SECONDS, connection.connection.interrupt)
    timer.start()
    try:
        yield
    except django.db.OperationalError as error:
        raise Stopped from error
    finally:
        timer.cancel()


def timed(work) -> tuple[float, float, int, object]:
    """Median and max seconds of RUNS runs after one warm-up, how many runs, and the last answer.
    A warm-up slower than SLOW_SECONDS is the only run; one past CALL_LIMIT_SECONDS raises
    Stopped."""
    start = time.perf_counter()
    with call_limit():
        answer = work()
    first = time.perf_counter() - start
    if first > SLOW_SECONDS:
        return first, first, 1, answer
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        answer = work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), max(seconds), RUNS, answer


def matrix_cells(coverage) -> int:
    """What the matrix page reads from the answer at its first level: the root and its areas
    against every competence required anywhere, the totals and the headcounts."""
    root = coverage.root
    columns = coverage.competences_in(root)
    shown = 0
    for unit in [root, *coverage.children(root)]:
        coverage.people(unit)
        coverage.cell(unit)
        for competence in columns:
            shown += coverage.cell(unit, competence).shown is not None
    return shown


def leader_unit() -> tuple[OrgUnit, object]:
    leader = User.objects.select_related("person").get(username="leder")
    return OrgUnit.objects.filter(leaders=leader.person).order_by("code").first(), leader


def measure(engine: str, size: int) -> list[tuple]:
    """Rows of (engine, size, measure, median, max, runs, target); median None if stopped."""
    today = timezone.localdate()
    root = OrgUnit.objects.get(parent=None)
    hr = visibility_for(User.objects.get(username="hr"))
    unit, leader = leader_unit()
    mine = visibility_for(leader)
    print(
        f"  {Person.objects.count()} people, {Employment.objects.count()} positions, "
        f"{OrgUnit.objects.count()} units; the leader's {unit.name} and the units below it have "
        f"{Employment.objects.filter(unit__in=OrgUnit.objects.within(unit)).count()} positions",
        flush=True,
    )
    target = MATRIX_TARGETS.get(size) if engine == "postgres" else None
    cases = [
        (
            "matrix: coverage_for(root)",
            lambda: coverage_for(root, on=today, visibility=hr),
            lambda answer: f"{answer.tally(root).applicable} applicable requirements",
            target,
        ),
        (
            "matrix + the first level's cells",
            lambda: matrix_cells(coverage_for(root, on=today, visibility=hr)),
            lambda answer: f"{answer} cells",
            target,
        ),
        (
            "unit: assessments_in + staffing_for",
            lambda: (
                assessments_in(unit, visibility=mine, on=today),
                staffing_for(unit, on=today, visibility=mine),
            ),
            lambda answer: f"{len(answer[0])} assessments, {len(answer[1])} targets",
            None,
        ),
        (
            "unit: coverage_for(unit)",
            lambda: coverage_for(unit, on=today, visibility=mine),
            lambda answer: f"{answer.tally(unit).applicable} applicable requirements",
            None,
        ),
    ]
    rows = []
    for name, work, describe, limit in cases:
        try:
            median, worst, runs, answer = timed(work)
        except Stopped:
            print(f"  {name:38} stopped after {CALL_LIMIT_SECONDS} s", flush=True)
            rows.append((engine, size, name, None, None, 0, limit))
            continue
        verdict = ""
        if limit is not None:
            verdict = f"  target <= {limit} s: {'PASS' if median <= limit else 'FAIL'}"
        print(
            f"  {name:38} median {median:8.3f} s  max {worst:8.3f} s  ({runs} runs; "
            f"{describe(answer)}){verdict}",
            flush=True,
        )
        rows.append((engine, size, name, median, worst, runs, limit))
    return rows


def explain() -> None:
    root = OrgUnit.objects.get(parent=None)
    statement = sql.tallies(Options().filters(timezone.localdate(), paths=(root.path,)))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.params)
        print("\n".join(row[0] for row in cursor.fetchall()))


# The page under load


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server stopped at start-up")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def load(workers: int) -> dict | None:
    """The unit overview page under load, on the current (10 000, PostgreSQL) database."""
    unit, _leader = leader_unit()
    try:
        path = reverse("unit_overview", args=[unit.pk])
    except NoReverseMatch:
        print("  the unit overview page (URL name unit_overview) does not exist yet: skipped")
        return None
    bin_dir = Path(sys.executable).parent
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EVNE_SECURE": "false",  # plain HTTP on loopback: no secure cookies, no redirect
        "EVNE_VAR_DIR": workdir,
        "DATABASE_URL": database_url("postgres", LOAD_SIZE),
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [bin_dir / "evne", "collectstatic", "--noinput", "--verbosity", "0"],
        env=environment,
        check=True,
    )
    port = free_port()
    command = [
        bin_dir / "gunicorn",
        "evne.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
    ]
    connections.close_all()
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        command, env=environment, stderr=subprocess.DEVNULL
    )
    runs = []
    try:
        wait_for(port, server)
        # One client alone first: the page's own time, without waiting for a free worker.
        for clients, requests in ((1, LOAD_BASELINE_REQUESTS), (LOAD_CLIENTS, LOAD_REQUESTS)):
            result = run_load(
                "127.0.0.1",
                port,
                path,
                login_path=reverse("login"),
                username="leder",
                password=DEMO_PASSWORD,
                clients=clients,
                max_requests=requests,
                max_seconds=LOAD_SECONDS,
            )
            runs.append(report_load(path, result, workers))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return runs


def report_load(path: str, result, workers: int) -> dict:
    figures = {
        "clients": result.clients,
        "requests": result.requests,
        "seconds": result.seconds,
        "errors": sum(result.errors.values()),
        "workers": workers,
    }
    print(
        f"  GET {path}: {result.requests} requests by {result.clients} clients in "
        f"{result.seconds:.1f} s ({result.requests / result.seconds:.1f}/s), gunicorn "
        f"{workers} workers; errors {result.errors or 'none'}",
        flush=True,
    )
    if not result.timings:
        return figures
    figures |= {
        "p50": result.percentile(0.50),
        "p95": result.percentile(0.95),
        "p99": result.percentile(0.99),
        "max": max(result.timings),
    }
    verdict = ""
    if result.clients == LOAD_CLIENTS:
        figures["met"] = figures["p95"] <= LOAD_TARGET_P95_MS and not result.errors
        verdict = f"  target p95 <= {LOAD_TARGET_P95_MS} ms: {'PASS' if figures['met'] else 'FAIL'}"
    print(
        "  p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, max {max:.0f} ms".format(**figures)
        + verdict,
        flush=True,
    )
    return figures


def revision() -> str:
    """The commit measured, and whether the engine had uncommitted changes (others may be
    changing it in the same checkout while this runs)."""
    git = ["git", "-C", str(BENCH_DIR.parent)]
    commit = subprocess.run(  # noqa: S603 - fixed arguments
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    changed = subprocess.run(  # noqa: S603 - fixed arguments
        [*git, "status", "--porcelain", "src/evne/analysis/engine.py", "src/evne/analysis/sql.py"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"commit {commit}" + (" with uncommitted engine changes" if changed else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 500_000])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rebuild", action="store_true", help="build even a matching database")
    parser.add_argument("--build-only", action="store_true", help="only build the databases")
    parser.add_argument("--no-load", action="store_true", help="skip the page under load")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE on PostgreSQL")
    parser.add_argument("--workers", type=int, default=GUNICORN_WORKERS)
    options = parser.parse_args()
    engines = ["sqlite", "postgres"] if options.database == "both" else [options.database]

    print(
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, Django {django.__version__}, "
        f"reference date {timezone.localdate():%d.%m.%Y}, {revision()}",
        flush=True,
    )
    results = []
    loaded = None
    try:
        for engine in engines:
            for size in options.sizes:
                print(f"{engine}, {size} employees:", flush=True)
                print(f"  {prepare(engine, size, options.rebuild)}", flush=True)
                if not options.build_only:
                    results += measure(engine, size)
                if engine == "postgres" and options.explain and not options.build_only:
                    explain()
                if (
                    engine == "postgres"
                    and size == LOAD_SIZE
                    and not (options.build_only or options.no_load)
                ):
                    print("  the unit overview page under load:", flush=True)
                    loaded = load(options.workers)
    finally:
        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)

    print("\n| Database | Employees | Measure | Median s | Max s | Runs | Target | Met? |")
    print("|---|---:|---|---:|---:|---:|---|---|")
    for engine, size, name, median, worst, runs, limit in results:
        database = "PostgreSQL" if engine == "postgres" else "SQLite"
        employees = f"{size:,}".replace(",", " ")
        target = "–" if limit is None else f"≤ {limit:g} s"
        if median is None:
            met = "–" if limit is None else "**no**"
            figures = f"> {CALL_LIMIT_SECONDS} (stopped) | – | 1"
        else:
            met = "–" if limit is None else ("yes" if median <= limit else "**no**")
            figures = f"{median:.3f} | {worst:.3f} | {runs}"
        print(f"| {database} | {employees} | {name} | {figures} | {target} | {met} |")
    if loaded:
        print(
            "\n| Page | Clients | Requests | Seconds | p50 ms | p95 ms | p99 ms | max ms | "
            "Errors | Target | Met? |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
        for run in loaded:
            timings = " | ".join(
                f"{run[key]:.0f}" if key in run else "–" for key in ("p50", "p95", "p99", "max")
            )
            target, met = "–", "–"
            if run["clients"] == LOAD_CLIENTS:
                target = f"p95 ≤ {LOAD_TARGET_P95_MS} ms"
                met = "yes" if run.get("met") else "**no**"
            print(
                f"| unit overview, 10 000, PostgreSQL, gunicorn {run['workers']} workers | "
                f"{run['clients']} | {run['requests']} | {run['seconds']:.1f} | {timings} | "
                f"{run['errors']} | {target} | {met} |"
            )


if __name__ == "__main__":
    main()
