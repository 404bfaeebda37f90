"""Import speed of `evne import people` on realistic payroll exports of 10 000 and 100 000 rows.

    DEBUG=true .venv/bin/python bench/import_people.py [--sizes 10000 100000]
        [--database sqlite|postgres|both] [--profile STEP]

Writes people files as Norwegian HR exports really look (semicolons, Windows-1252, dd.mm.yyyy
dates, decimal-comma FTE, a unit tree of four levels named on the rows, a leader per unit, about
5 % of people with a second position) into a temporary folder. Then, for each database and size,
on a fresh database: a dry run on the empty database, the import itself, a re-import of the same
file (which must change nothing), a dry run of the same file, and an import of the file with the
FTE of every tenth row changed, each timed through the import pipeline (plan_import /
apply_import) as `evne import people` calls it. Prints rows per second
and the issue's targets. Not a test: it prints figures, it does not fail on them.

SQLite runs in a throwaway file; PostgreSQL in a throwaway database `evne_bench_PID` on
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/), created and dropped here.
`--profile apply` (or dry-run, reimport, recheck, changed) runs that step under cProfile and
prints where the time goes.
"""

import argparse
import cProfile
import csv
import datetime
import io
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

workdir = tempfile.mkdtemp(prefix="evne-bench-import-")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EVNE_SECURE", "false")
os.environ["EVNE_VAR_DIR"] = workdir
os.environ["EVNE_MEDIA_DIR"] = f"{workdir}/media"  # the imported files are kept here
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evne.settings")

import django  # noqa: E402

django.setup()

import dj_database_url  # noqa: E402
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from evne.core.imports.pipeline import Options, apply_import, plan_import  # noqa: E402
from evne.organization.models import Employment, OrgUnit, Person  # noqa: E402

# Production runs without DEBUG; with it Django would also log the SQL of every query.
settings.DEBUG = False

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
# One per run, so that two runs at once do not drop each other's database.
BENCH_DATABASE = f"evne_bench_{os.getpid()}"
PROTECTED_DATABASES = {"postgres", "test", "test_test", "template0", "template1"}

TARGET_APPLY_ROWS_PER_SECOND = 10_000  # apply, PostgreSQL, 100 000 rows
TARGET_REIMPORT_SECONDS = 10  # re-import of an unchanged 100 000-row file
TARGET_SIZE = 100_000
STEPS = ["dry-run", "apply", "reimport", "recheck", "changed"]
STEP_NAMES = {
    "dry-run": "dry run, empty database",
    "apply": "apply, empty database",
    "reimport": "re-import, unchanged file",
    "recheck": "dry run, unchanged file",
    "changed": "apply, 10 % FTE changed",
}
# The last step imports the file again with the FTE of every tenth row changed, as a monthly
# export after a round of changes would be.
CHANGED_EVERY = 10

HEADERS = [
    "Ansattnr",
    "Fornavn",
    "Etternavn",
    "Fødselsdato",
    "Kjønn",
    "E-post",
    "Enhetskode",
    "Enhet",
    "Overordnet enhet",
    "Stillingskode",
    "Stilling",
    "Stillingsprosent",
    "Ansettelsesform",
    "Startdato",
    "Sluttdato",
    "Leder",
]

# Sector name, the places its units are, and the job roles (title, STYRK-08) of its staff.
SECTORS = [
    (
        "Helse og omsorg",
        ["Sykehjem", "Hjemmetjenesten", "Bofellesskap", "Helsestasjon", "Legevakt"],
        [
            ("Sykepleier", "2223"),
            ("Helsefagarbeider", "5321"),
            ("Assistent helse", "5329"),
            ("Vernepleier", "2263"),
            ("Spesialsykepleier", "2221"),
            ("Fysioterapeut", "2264"),
            ("Ergoterapeut", "2269"),
        ],
    ),
    (
        "Oppvekst",
        ["Skole", "Barnehage", "SFO", "Ungdomsskole"],
        [
            ("Lærer", "2341"),
            ("Lektor", "2330"),
            ("Barnehagelærer", "2342"),
            ("Barne- og ungdomsarbeider", "5311"),
            ("Assistent barnehage", "5312"),
            ("Spesialpedagog", "2352"),
        ],
    ),
    (
        "Teknisk drift",
        ["Vei", "Vann og avløp", "Eiendom", "Park"],
        [
            ("Driftsoperatør", "8189"),
            ("Vaktmester", "5153"),
            ("Renholder", "9112"),
            ("Ingeniør", "3112"),
        ],
    ),
    (
        "Kultur",
        ["Bibliotek", "Kulturskole", "Fritidsklubb"],
        [("Bibliotekar", "2622"), ("Kulturskolelærer", "2354"), ("Miljøarbeider", "3412")],
    ),
    (
        "Stab og støtte",
        ["Lønn", "HR", "Økonomi", "IKT", "Servicetorg"],
        [
            ("Rådgiver", "2422"),
            ("Konsulent", "3343"),
            ("Saksbehandler", "4110"),
            ("IT-konsulent", "3512"),
        ],
    ),
    (
        "NAV kommune",
        ["NAV-kontor", "Flyktningtjenesten"],
        [("Sosionom", "2635"), ("Veileder", "3412"), ("Saksbehandler", "4110")],
    ),
    (
        "Barnevern",
        ["Barneverntjenesten", "Familiesenter"],
        [("Barnevernspedagog", "2635"), ("Miljøterapeut", "3412"), ("Konsulent", "3343")],
    ),
    (
        "Kjøkken og renhold",
        ["Storkjøkken", "Renholdsavdeling"],
        [("Kokk", "5120"), ("Kjøkkenassistent", "9412"), ("Renholder", "9112")],
    ),
]
LEADER_ROLE = ("Leder", "1349")
PLACES = [
    "Nordby",
    "Sørbyen",
    "Østre",
    "Vestre",
    "Åsen",
    "Bakken",
    "Fjellstad",
    "Strand",
    "Haugen",
    "Lia",
    "Moen",
    "Bråten",
    "Ødegård",
    "Solberg",
    "Tveit",
    "Kjærnes",
    "Ørje",
    "Skogly",
    "Berg",
    "Dalen",
]


def words(text: str) -> list[str]:
    return text.split()


GIVEN_NAMES = {
    "K": words(
        "Anne Ingrid Kari Marit Hilde Ingrid Solveig Åse Bjørg Kristin Grethe Sølvi Liv Eli "
        "Nora Emma Ida Maja Sofie Ingeborg Thea Linnéa Hanne Tone Siri Mette Ragnhild Gunn Kjersti "
        "Ase Marianne Camilla Silje Hege Therese Ann-Kristin Wenche Torill Frøydis"
    ),
    "M": words(
        "Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Hans Geir Tor Terje Odd Rune Jørgen "
        "Håkon Øyvind Ståle Magnus Henrik Jakob Emil Filip Sindre Eirik Espen Trond Ståle Åsmund "
        "Pål Even Sverre Ivar Halvor Jens Nils Aksel André"
    ),
}
FAMILY_NAMES = words(
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
    "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen "
    "Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde "
    "Solheim Berntsen Moe Kristensen Bøe Ødegård Aase Sæther Hæhre Østby Ødegaard Brå Løvås"
)
FTES = ["100", "100", "100", "100", "80", "75", "60", "50", "50", "40", "20", "37,5", "66,67"]


def date_text(day: datetime.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def random_date(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def ascii_name(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a").replace(" ", "")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def build_units(count: int, rng: random.Random) -> list[dict]:
    """A municipality of `count` units in four levels: the municipality, its sectors, areas
    within each sector, and the units where most people work."""
    units = [{"code": "100000", "name": "Eksempel kommune", "parent": "", "sector": 4}]
    sectors = []
    for index, (name, _places, _roles) in enumerate(SECTORS, start=1):
        sector = {"code": f"{100000 + index * 10000}", "name": name, "parent": "100000"}
        sector["sector"] = index - 1
        units.append(sector)
        sectors.append(sector)
    areas_wanted = max(len(SECTORS), count // 9)
    leaves_wanted = count - len(units) - areas_wanted
    areas = []
    for index in range(areas_wanted):
        sector = sectors[index % len(sectors)]
        places = SECTORS[sector["sector"]][1]
        number = int(sector["code"]) + 100 * (len(areas) // len(sectors) + 1)
        area = {
            "code": str(number),
            "name": f"{places[index % len(places)]} område {PLACES[index % len(PLACES)]}",
            "parent": sector["code"],
            "sector": sector["sector"],
        }
        units.append(area)
        areas.append(area)
    for index in range(leaves_wanted):
        area = areas[index % len(areas)]
        places = SECTORS[area["sector"]][1]
        number = int(area["code"]) + index // len(areas) + 1
        units.append(
            {
                "code": str(number),
                "name": f"{rng.choice(places)} {rng.choice(PLACES)} {index // len(PLACES) + 1}",
                "parent": area["code"],
                "sector": area["sector"],
                "leaf": True,
            }
        )
    assert len({unit["code"] for unit in units}) == len(units)
    return units


def generate(rows_wanted: int, path: Path, seed: int = 1) -> dict:
    """Write a people file of about `rows_wanted` rows; return what it holds."""
    rng = random.Random(seed)
    unit_count = min(2500, max(250, rows_wanted // 40))
    units = build_units(unit_count, rng)
    leaves = [unit for unit in units if unit.get("leaf")]
    people_count = round(rows_wanted / 1.05)
    # Every unit gets its leader; a few staff at the upper levels, the rest in the leaf units.
    assignment = list(units)
    assignment += [unit for unit in units if not unit.get("leaf") for _ in range(3)]
    while len(assignment) < people_count:
        assignment.append(rng.choice(leaves))
    assignment = assignment[:people_count]
    rng.shuffle(assignment)
    leaders: dict[str, str] = {}
    people = []
    for index, unit in enumerate(assignment):
        number = str(100001 + index)
        gender = rng.choice("KM")
        leader = unit["code"] not in leaders
        if leader:
            leaders[unit["code"]] = number
        given = rng.choice(GIVEN_NAMES[gender])
        family = rng.choice(FAMILY_NAMES)
        people.append(
            {
                "number": number,
                "given": given,
                "family": family,
                "birth": random_date(rng, datetime.date(1958, 1, 1), datetime.date(2006, 12, 31)),
                "gender": gender,
                "email": f"{ascii_name(given)}.{ascii_name(family)}.{number}@eksempel.kommune.no",
                "unit": unit,
                "leader": leader,
            }
        )
    rows = []
    for person in people:
        unit = person["unit"]
        role = LEADER_ROLE if person["leader"] else rng.choice(SECTORS[unit["sector"]][2])
        start = random_date(rng, datetime.date(1985, 1, 1), datetime.date(2025, 12, 31))
        temporary = rng.random() < 0.12 and not person["leader"]
        end = None
        if temporary and rng.random() < 0.5:
            end = random_date(
                rng, max(start, datetime.date(2026, 1, 1)), datetime.date(2028, 6, 30)
            )
        fte = "100" if person["leader"] else rng.choice(FTES)
        rows.append((person, unit, role, fte, temporary, start, end))
        if rng.random() < 0.05:  # a second, smaller position elsewhere
            other = rng.choice([leaf for leaf in rng.sample(leaves, 2) if leaf is not unit])
            role = rng.choice(SECTORS[other["sector"]][2])
            start = random_date(rng, datetime.date(2015, 1, 1), datetime.date(2025, 12, 31))
            temporary = rng.random() < 0.5
            end = None
            if temporary:
                end = random_date(rng, datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
            fte = rng.choice(["10", "20", "25", "12,5"])
            rows.append((person, other, role, fte, temporary, start, end))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for person, unit, role, fte, temporary, start, end in rows:
        writer.writerow(
            [
                person["number"],
                person["given"],
                person["family"],
                date_text(person["birth"]),
                person["gender"],
                person["email"],
                unit["code"],
                unit["name"],
                unit["parent"],
                role[1],
                role[0],
                fte,
                "Midlertidig" if temporary else "Fast",
                date_text(start),
                date_text(end) if end else "",
                leaders[unit["code"]],
            ]
        )
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return {"rows": len(rows), "people": len(people), "units": len(units)}


def with_changed_fte(data: bytes) -> bytes:
    """The same file with the Stillingsprosent of every tenth row changed."""
    lines = data.decode("cp1252").split("\r\n")
    column = HEADERS.index("Stillingsprosent")
    for index in range(1, len(lines), CHANGED_EVERY):
        if lines[index]:
            cells = lines[index].split(";")
            cells[column] = "45" if cells[column] != "45" else "55"
            lines[index] = ";".join(cells)
    return "\r\n".join(lines).encode("cp1252")


# Databases


def use_database(url: str) -> None:
    """Point Django's default connection at another database (the run starts on SQLite)."""
    connections.close_all()
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = settings.SQLITE_OPTIONS
    settings.DATABASES = {"default": config}
    connections._settings = connections.configure_settings(settings.DATABASES)
    connections.__dict__.pop("settings", None)  # a cached property
    del connections["default"]
    ContentType.objects.clear_cache()


def fresh_database(engine: str, size: int) -> str:
    if engine == "sqlite":
        return f"sqlite:///{workdir}/bench-{size}.sqlite3"
    drop_postgres()
    with psycopg.connect(maintenance_url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return f"{POSTGRES_URL.rstrip('/')}/{BENCH_DATABASE}"


def maintenance_url() -> str:
    return f"{POSTGRES_URL.rstrip('/')}/postgres"


def drop_postgres() -> None:
    assert BENCH_DATABASE not in PROTECTED_DATABASES
    connections.close_all()
    with psycopg.connect(maintenance_url(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


# Measuring


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_step(step: str, data: bytes, filename: str, profile: str | None):
    def work():
        if step in ("apply", "reimport", "changed"):
            return apply_import("people", data, filename, options=Options()).counts
        plan = plan_import("people", data, filename, options=Options())
        assert not plan.problems, [problem.format() for problem in plan.problems[:10]]
        return plan.counts

    profiler = cProfile.Profile() if profile == step else None
    start = time.perf_counter()
    counts = profiler.runcall(work) if profiler else work()
    seconds = time.perf_counter() - start
    if profiler:
        print(f"--- profile of {STEP_NAMES[step]} ---")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.strip_dirs().sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(15)
    return seconds, counts


def summary(counts: dict) -> str:
    parts = []
    for noun, actions in counts.items():
        done = ", ".join(f"{action} {number}" for action, number in actions.items() if number)
        parts.append(f"{noun} {done or '-'}")
    return "; ".join(parts)


def changes_nothing(counts: dict) -> bool:
    return not any(number for actions in counts.values() for number in actions.values())


def target_of(engine: str, size: int, step: str, seconds: float, rows: int):
    """(target text, met) for the issue's targets, or None where none applies."""
    if size < TARGET_SIZE:
        return None
    if step == "apply" and engine == "postgres":
        return f">= {TARGET_APPLY_ROWS_PER_SECOND} rows/s", rows / seconds >= (
            TARGET_APPLY_ROWS_PER_SECOND
        )
    if step == "reimport":
        return f"< {TARGET_REIMPORT_SECONDS} s", seconds < TARGET_REIMPORT_SECONDS
    return None


def bench(engine: str, size: int, path: Path, rows: int, profile: str | None) -> list:
    use_database(fresh_database(engine, size))
    call_command("migrate", verbosity=0)
    data = path.read_bytes()
    results = []
    for step in STEPS:
        step_data = with_changed_fte(data) if step == "changed" else data
        seconds, counts = run_step(step, step_data, path.name, profile)
        if step in ("reimport", "recheck") and not changes_nothing(counts):
            print(f"  !! {STEP_NAMES[step]} is not a no-op: {summary(counts)}")
        target = target_of(engine, size, step, seconds, rows)
        verdict = ""
        if target:
            verdict = f"target {target[0]}: {'met' if target[1] else 'MISSED'}"
        print(
            f"  {STEP_NAMES[step]:28} {seconds:8.2f} s {rows / seconds:9.0f} rows/s"
            f"  [{summary(counts)}]  {verdict}",
            flush=True,
        )
        results.append((engine, size, step, seconds, rows / seconds, target, counts))
    print(
        f"  in the database: {Person.objects.count()} people, {Employment.objects.count()} "
        f"employments, {OrgUnit.objects.count()} units; peak memory {peak_memory_mb():.0f} MB",
        flush=True,
    )
    if engine == "postgres":
        drop_postgres()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--profile", choices=STEPS, help="run this step under cProfile")
    options = parser.parse_args()
    engines = ["sqlite", "postgres"] if options.database == "both" else [options.database]

    print(
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, Django {django.__version__}"
    )
    files = {}
    for size in options.sizes:
        path = Path(workdir) / f"ansatte-{size}.csv"
        start = time.perf_counter()
        facts = generate(size, path)
        files[size] = (path, facts["rows"])
        print(
            f"generated {path.name}: {facts['rows']} rows, {facts['people']} people, "
            f"{facts['units']} units, {path.stat().st_size / 1e6:.1f} MB "
            f"in {time.perf_counter() - start:.1f} s"
        )
    print(
        f"targets at {TARGET_SIZE} rows: apply on PostgreSQL >= {TARGET_APPLY_ROWS_PER_SECOND} "
        f"rows/s; re-import of the unchanged file < {TARGET_REIMPORT_SECONDS} s"
    )
    results = []
    try:
        for engine in engines:
            for size in options.sizes:
                path, rows = files[size]
                print(f"{engine}, {rows} rows:", flush=True)
                results += bench(engine, size, path, rows, options.profile)
    finally:
        if "postgres" in engines:
            drop_postgres()
        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)

    print("\n| Database | Rows | Step | Seconds | Rows/s | Target | Met? |")
    print("|---|---:|---|---:|---:|---|---|")
    for engine, size, step, seconds, rate, target, _counts in results:
        name = "PostgreSQL" if engine == "postgres" else "SQLite"
        text, met = target if target else ("–", None)
        verdict = "–" if met is None else ("yes" if met else "**no**")
        rows = f"{files[size][1]:,}".replace(",", " ")
        rate = f"{rate:,.0f}".replace(",", " ")
        step_name = STEP_NAMES[step]
        print(f"| {name} | {rows} | {step_name} | {seconds:.2f} | {rate} | {text} | {verdict} |")


if __name__ == "__main__":
    main()
