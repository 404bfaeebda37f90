"""`evne coverage` agrees with what an HR adviser works out in a spreadsheet from the same import
files: look up each person's positions, the requirements that reach them, and their records,
apply the rules of docs/competence.md, and count.

The municipality is built only from import files (units, people, catalog, requirements,
records), and the expected figures are computed from those files alone, never from Evne's
database.
"""

import calendar
import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

ON = datetime.date(2026, 6, 1)

FILES = {
    "units": """Enhetskode;Enhetsnavn;Overordnet enhet
S;Sandvik kommune;
S1;Helse og omsorg;S
S11;Fjordtun sykehjem;S1
S12;Hjemmetjenesten;S1
S2;Sandvik skole;S
""",
    "people": """Ansattnr;Fornavn;Etternavn;Enhetskode;Stilling;Stillingsprosent;Startdato;Sluttdato
2001;Anne;Aas;S11;Sykepleier;100;01.01.2020;
2002;Bjørn;Berg;S11;Sykepleier;80;01.03.2021;
2003;Cecilie;Dahl;S11;Helsefagarbeider;50;01.05.2026;
2004;Dag;Eide;S11;Sykepleier;100;01.01.2019;31.12.2025
2005;Eva;Fjell;S12;Sykepleier;60;01.01.2022;
2005;Eva;Fjell;S2;Lærer;40;01.08.2023;
2006;Finn;Gran;S12;Helsefagarbeider;100;15.02.2024;
2007;Gro;Hauge;S12;Sykepleier;100;01.09.2026;
2008;Hans;Ims;S2;Lærer;100;01.08.2015;
2009;Ida;Jo;S2;Lærer;50;01.08.2020;
2010;Jon;Kro;S1;Kommunalsjef;100;01.01.2018;
""",
    "catalog": """Kode;Navn;Type;Skala;Gyldighet (måneder);Impliserer
HLR;Hjerte-lunge-redning;kurs;;12;
LEGEMIDDEL;Legemiddelhåndtering;kurs;;24;
SYKEPLEIER;Bachelor i sykepleie;formell utdanning;;;LEGEMIDDEL
DEMENS;Demensomsorg;kurs;1-4;;
DIGI;Digital kompetanse;digital;1-4;;
""",
    "requirements": """Kompetansekode;Stillingskode;Enhetskode;Krav;Nivå
HLR;;S1;obligatorisk;
LEGEMIDDEL;Sykepleier;;obligatorisk;
DEMENS;Sykepleier;S11;ønsket;3
DEMENS;;S11;obligatorisk;1
DIGI;;S;ønsket;2
DIGI;Lærer;;obligatorisk;2
""",
    "records": """Ansattnr;Kompetansekode;Nivå;Oppnådd;Utløper
2001;HLR;;10.09.2025;
2002;HLR;;01.08.2025;
2005;HLR;;15.03.2025;
2006;HLR;;20.05.2026;
2001;SYKEPLEIER;;20.06.2010;
2002;LEGEMIDDEL;;01.02.2024;
2005;LEGEMIDDEL;;01.02.2025;01.07.2026
2001;DEMENS;2;01.09.2023;
2002;DEMENS;3;01.09.2023;
2003;DEMENS;1;01.05.2026;
2008;DIGI;2;02.02.2024;
2009;DIGI;1;02.02.2024;
2010;DIGI;4;01.01.2025;
2006;DIGI;2;01.06.2026;
""",
}
UNITS = ("S", "S1", "S11", "S12", "S2")


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(FILES[name]), delimiter=";"))


def date(text: str) -> datetime.date | None:
    return datetime.datetime.strptime(text, "%d.%m.%Y").date() if text else None  # noqa: DTZ007


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the last day of a shorter month."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The spreadsheet: plain Python over the files.


@dataclass
class Position:
    unit: str
    role: str
    fte: float
    start: datetime.date
    end: datetime.date | None

    def active(self) -> bool:
        return self.start <= ON and (self.end is None or self.end >= ON)


def parents() -> dict[str, str]:
    return {row["Enhetskode"]: row["Overordnet enhet"] for row in rows("units")}


def above(unit: str) -> list[str]:
    """The unit and every unit above it."""
    chain, parent = [unit], parents()
    while parent[chain[-1]]:
        chain.append(parent[chain[-1]])
    return chain


def positions() -> dict[str, list[Position]]:
    found: dict[str, list[Position]] = {}
    for row in rows("people"):
        found.setdefault(row["Ansattnr"], []).append(
            Position(
                unit=row["Enhetskode"],
                role=row["Stilling"],
                fte=float(row["Stillingsprosent"]),
                start=date(row["Startdato"]),
                end=date(row["Sluttdato"]),
            )
        )
    return found


def strictest(person_positions: list[Position]) -> dict[str, tuple[int, bool]]:
    """Competence -> (level, mandatory) of the requirements that reach the active positions:
    the highest level wins, and on the same level mandatory beats desired."""
    found: dict[str, tuple[int, bool]] = {}
    for position in person_positions:
        if not position.active():
            continue
        for row in rows("requirements"):
            role_fits = not row["Stillingskode"] or row["Stillingskode"] == position.role
            unit_fits = not row["Enhetskode"] or row["Enhetskode"] in above(position.unit)
            if not (role_fits and unit_fits):
                continue
            need = (int(row["Nivå"] or 0), row["Krav"] == "obligatorisk")
            code = row["Kompetansekode"]
            if code not in found or need > found[code]:
                found[code] = need
    return found


def satisfying(code: str) -> dict[str, bool]:
    """The competences whose records count for `code`: itself, and what implies it (directly
    or through others); True for those that are a different competence."""
    implied_by = {
        row["Kode"]: [c.strip() for c in row["Impliserer"].split(",") if c.strip()]
        for row in rows("catalog")
    }
    found, todo = {code: False}, [code]
    while todo:
        target = todo.pop()
        for source, targets in implied_by.items():
            if target in targets and source not in found:
                found[source] = True
                todo.append(source)
    return found


def status(person: str, code: str, level: int) -> str:
    validity = {row["Kode"]: row["Gyldighet (måneder)"] for row in rows("catalog")}
    horizon = ON + datetime.timedelta(days=settings.EVNE_EXPIRY_WINDOW_DAYS)
    valid, expiring, below, expired = False, False, False, False
    counts_for = satisfying(code)
    for row in rows("records"):
        if row["Ansattnr"] != person or row["Kompetansekode"] not in counts_for:
            continue
        obtained = date(row["Oppnådd"])
        expires = date(row["Utløper"])
        months = validity[row["Kompetansekode"]]
        if expires is None and months:
            expires = months_later(obtained, int(months))
        # A degree that implies the competence (no level of its own) meets any level.
        held_level = 99 if counts_for[row["Kompetansekode"]] and not row["Nivå"] else row["Nivå"]
        good_enough = int(held_level or 0) >= level
        if obtained <= ON and (expires is None or expires >= ON):
            if good_enough and (expires is None or expires > horizon):
                valid = True
            elif good_enough:
                expiring = True
            else:
                below = True
        elif expires is not None and expires < ON:
            expired = True
    # Imported records are verified, so nothing here waits for verification.
    if valid:
        return "met"
    if expiring:
        return "expiring"
    if below:
        return "below_level"
    return "expired" if expired else "missing"


def spreadsheet(unit: str) -> dict[tuple[str, str], Counter]:
    """(competence, mandatory/desired) -> count of each status, for the people counted in
    `unit` and below: each person where their main position (the largest active one) is."""
    found: dict[tuple[str, str], Counter] = {}
    for person, person_positions in positions().items():
        active = [p for p in person_positions if p.active()]
        if not active:
            continue
        main = max(active, key=lambda p: (p.fte, -p.start.toordinal()))
        if unit not in above(main.unit):
            continue
        for code, (level, mandatory) in strictest(person_positions).items():
            key = (code, "mandatory" if mandatory else "desired")
            found.setdefault(key, Counter())[status(person, code, level)] += 1
    return found


# Evne, from the same files.


@pytest.fixture
def imported(db, tmp_path):
    for kind in ("units", "people", "catalog", "requirements", "records"):
        path = tmp_path / f"{kind}.csv"
        path.write_text(FILES[kind], encoding="utf-8")
        call_command("import", kind, str(path), stdout=io.StringIO())


def evne_coverage(unit: str) -> dict[tuple[str, str], dict[str, str]]:
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "coverage", "--unit", unit, "--on", "01.06.2026", "--include-desired", stdout=out
        )
    table = list(csv.reader(io.StringIO(out.getvalue().removeprefix("\ufeff")), delimiter=";"))
    return {(row[1], row[10]): row for row in table[1:]}


STATUS_COLUMNS = ("met", "expiring", "pending", "below_level", "expired", "missing")


@pytest.mark.parametrize("unit", UNITS)
def test_evne_coverage_agrees_with_the_spreadsheet_row_by_row(imported, unit):
    evne, expected = evne_coverage(unit), spreadsheet(unit)
    assert set(evne) == set(expected)
    for key, counts in expected.items():
        row = evne[key]
        applicable = sum(counts.values())
        assert row[0] == unit
        assert [int(value) for value in row[2:9]] == [
            applicable,
            *(counts[each] for each in STATUS_COLUMNS),
        ], key
        share = (counts["met"] + counts["expiring"]) / applicable
        assert float(row[9].replace(",", ".")) == pytest.approx(share, abs=0.00005), key


def test_the_dataset_exercises_every_rule(imported):
    """Not a property of Evne: a check that the files hold the cases they are meant to."""
    counts = spreadsheet("S")
    seen = Counter()
    for each in counts.values():
        seen.update(each)
    assert {"met", "expiring", "below_level", "expired", "missing"} <= set(seen)
    assert ("DEMENS", "desired") in counts and ("DEMENS", "mandatory") in counts
    assert counts[("LEGEMIDDEL", "mandatory")]["met"] == 1  # by the nursing degree
