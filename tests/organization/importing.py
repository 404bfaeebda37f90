"""Helpers for the import tests: files as HR systems write them, and a dump to compare with."""

import csv
import io

from evne.core.imports.pipeline import Options, apply_import, plan_import
from evne.organization.models import Employment, OrgUnit, Person

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

# A small municipality as the payroll system exports it: one row per position.
ROWS = [
    ["1001", "Åse", "Ødegård", "01.02.1975", "K", "ase@evne.no", "100", "Kommunen", "", "",
     "Kommunedirektør", "100", "fast", "01.01.2010", "", "1001"],
    ["1002", "Bjørn", "Æsøy", "03.04.1980", "M", "", "200", "Helse og mestring", "100", "",
     "Kommunalsjef", "100 %", "fast", "01.01.2012", "", "1002"],
    ["1004", "Liv", "Leder", "05.06.1970", "Kvinne", "", "210", "Solsiden sykehjem", "200", "",
     "Enhetsleder", "100", "fast", "01.03.2015", "", "1004"],
    ["1003", "Kari", "Nordmann", "05.06.1990", "K", "kari@evne.no", "210", "Solsiden sykehjem",
     "200", "2223", "Sykepleier", "80,5", "fast", "01.03.2020", "", "1004"],
    ["1003", "Kari", "Nordmann", "05.06.1990", "K", "kari@evne.no", "211", "Avdeling Øst",
     "210", "2223", "Sykepleier", "20", "midlertidig", "01.03.2021", "31.12.2030", "1004"],
    ["1005", "Per", "Hansen", "", "M", "", "310", "Lia skole", "300", "", "Lærer", "100",
     "fast", "01.08.2019", "", ""],
]  # fmt: skip


def csv_bytes(rows, headers=HEADERS, delimiter=";", encoding="cp1252") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def import_people(data: bytes, **options):
    return apply_import("people", data, "people.csv", options=Options(**options))


def preview_people(data: bytes, **options):
    return plan_import("people", data, "people.csv", options=Options(**options))


def dump() -> dict:
    """The organisation by natural keys, to compare imports with each other."""
    return {
        "units": sorted(OrgUnit.objects.values_list("code", "name", "parent__code", "level__name")),
        "leaders": sorted(
            OrgUnit.leaders.through.objects.values_list("orgunit__code", "person__employee_number")
        ),
        "people": sorted(
            Person.objects.values_list(
                "employee_number", "given_name", "family_name", "email", "birth_date", "gender"
            )
        ),
        "employments": sorted(
            Employment.objects.values_list(
                "person__employee_number",
                "unit__code",
                "job_role__name",
                "fte",
                "kind",
                "start_date",
                "end_date",
                "is_primary",
            )
        ),
    }
