"""Named personas over a small hand-built municipality, shared by the whole suite.

    Testvik kommune (K)                 <- hr (HR), analyst (analyst)
    ├── Helse og mestring (H)           <- union_rep (union representative)
    │   ├── Solsiden sykehjem (HA)      <- leader leads it; employee works here
    │   │   └── Avdeling Øst (HA1)
    │   └── Hjemmetjenesten (HB)        3 people: too few for figures
    └── Oppvekst (O)
        └── Lia skole (OC)
    Gamlevik kommune (G)                <- outsider (HR in another municipality)
    └── Gamlevik rådhus (GX)

- admin: superuser, sees everything;
- hr: people of Testvik, not of Gamlevik;
- leader: people of Solsiden sykehjem and Avdeling Øst;
- employee: only themselves, and their unit's figures;
- union_rep and analyst: figures of their subtree, no people;
- outsider: people of Gamlevik only.
"""

import datetime
from dataclasses import dataclass, field

import pytest

from evne.accounts.models import Role, RoleGrant, User
from evne.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceKind,
    CompetenceRecord,
    ProficiencyScale,
    RecordSource,
    RecordStatus,
    ScaleLevel,
)
from evne.organization.models import Employment, JobRole, OrgUnit, Person

PASSWORD = "correct horse battery staple"
START = datetime.date(2020, 1, 1)


@dataclass
class Municipality:
    units: dict[str, OrgUnit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    roles: dict[str, JobRole] = field(default_factory=dict)


def make_person(number: str, given: str, family: str, **extra) -> Person:
    return Person.objects.create(
        employee_number=number, given_name=given, family_name=family, **extra
    )


def employ(person, unit, role, fte=100, **extra) -> Employment:
    return Employment.objects.create(
        person=person, unit=unit, job_role=role, fte=fte, start_date=START, **extra
    )


def make_user(username: str, person=None, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, person=person, **extra)


def make_record(person, competence, obtained, *, expires=None, **extra) -> CompetenceRecord:
    """A competence record obtained on a date; verified and registered by HR unless told
    otherwise (`status=`, `source=`, `level=`, …)."""
    extra.setdefault("status", RecordStatus.VERIFIED)
    extra.setdefault("source", RecordSource.HR)
    return CompetenceRecord.objects.create(
        person=person, competence=competence, obtained_on=obtained, expires_on=expires, **extra
    )


def add_staff(unit: OrgUnit, role: JobRole, count: int, prefix: str) -> list[Person]:
    people = []
    for index in range(count):
        person = make_person(f"{prefix}{index:03d}", f"Ansatt{index}", f"{prefix.title()}sen")
        employ(person, unit, role, fte=50 + index % 2 * 50)
        people.append(person)
    return people


@pytest.fixture
def municipality(db) -> Municipality:
    m = Municipality()
    u = m.units
    u["K"] = OrgUnit.objects.create(code="K", name="Testvik kommune")
    u["H"] = OrgUnit.objects.create(code="H", name="Helse og mestring", parent=u["K"])
    u["HA"] = OrgUnit.objects.create(code="HA", name="Solsiden sykehjem", parent=u["H"])
    u["HA1"] = OrgUnit.objects.create(code="HA1", name="Avdeling Øst", parent=u["HA"])
    u["HB"] = OrgUnit.objects.create(code="HB", name="Hjemmetjenesten", parent=u["H"])
    u["O"] = OrgUnit.objects.create(code="O", name="Oppvekst", parent=u["K"])
    u["OC"] = OrgUnit.objects.create(code="OC", name="Lia skole", parent=u["O"])
    u["G"] = OrgUnit.objects.create(code="G", name="Gamlevik kommune")
    u["GX"] = OrgUnit.objects.create(code="GX", name="Gamlevik rådhus", parent=u["G"])

    nurse = m.roles["nurse"] = JobRole.objects.create(name="Sykepleier", styrk_code="2223")
    m.roles["leader"] = JobRole.objects.create(name="Enhetsleder")
    teacher = m.roles["teacher"] = JobRole.objects.create(name="Lærer")

    p = m.people
    p["leader"] = make_person("1001", "Liv", "Leder", email="liv.leder@testvik.no")
    employ(p["leader"], u["HA"], m.roles["leader"])
    u["HA"].leaders.add(p["leader"])
    p["employee"] = make_person("1002", "Eva", "Ansatt", email="eva@testvik.no")
    employ(p["employee"], u["HA"], nurse, fte=80)
    for index, person in enumerate(add_staff(u["HA"], nurse, 4, "ha")):
        p[f"ha{index}"] = person
    p["ha1"] = add_staff(u["HA1"], nurse, 2, "hae")[0]
    p["hb"] = add_staff(u["HB"], nurse, 3, "hb")[0]
    p["oc"] = add_staff(u["OC"], teacher, 4, "oc")[0]
    p["gx"] = add_staff(u["GX"], nurse, 1, "gx")[0]
    p["former"] = make_person("1003", "Frode", "Sluttet")
    employ(p["former"], u["HA"], nurse, end_date=datetime.date(2021, 6, 30))

    users = m.users
    users["admin"] = make_user("admin", is_superuser=True, is_staff=True)
    users["hr"] = make_user("hr")
    RoleGrant.objects.create(user=users["hr"], role=Role.HR, unit=u["K"])
    users["leader"] = make_user("leader", person=p["leader"])
    users["employee"] = make_user("employee", person=p["employee"])
    users["union_rep"] = make_user("union_rep")
    RoleGrant.objects.create(user=users["union_rep"], role=Role.UNION_REPRESENTATIVE, unit=u["H"])
    users["analyst"] = make_user("analyst")
    RoleGrant.objects.create(user=users["analyst"], role=Role.ANALYST, unit=u["K"])
    users["outsider"] = make_user("outsider")
    RoleGrant.objects.create(user=users["outsider"], role=Role.HR, unit=u["G"])
    return m


@dataclass
class Catalog:
    scale: ProficiencyScale
    areas: dict[str, CompetenceArea] = field(default_factory=dict)
    competences: dict[str, Competence] = field(default_factory=dict)


@pytest.fixture
def catalog(db) -> Catalog:
    """A small catalog: a four-level scale, two areas and a handful of competences.

    - HLR: CPR, have/not, valid 12 months, required by law;
    - LEGEMIDDEL: medicine handling, have/not, valid 24 months;
    - SYKEPLEIER: nursing degree (formal education), implies LEGEMIDDEL;
    - DEMENS: dementia care on the 1–4 scale;
    - DIGITAL: digital competence on the 1–4 scale, in another area.
    """
    scale = ProficiencyScale.objects.create(name="Ferdighetsnivå 1–4", name_en="Proficiency 1–4")
    for value, name, name_en in [
        (1, "Grunnleggende", "Basic"),
        (2, "Middels", "Intermediate"),
        (3, "Avansert", "Advanced"),
        (4, "Ekspert", "Expert"),
    ]:
        ScaleLevel.objects.create(scale=scale, value=value, name=name, name_en=name_en)
    c = Catalog(scale=scale)
    c.areas["health"] = CompetenceArea.objects.create(name="Helse og omsorg", name_en="Health")
    c.areas["digital"] = CompetenceArea.objects.create(name="Digital", name_en="Digital")
    health = c.areas["health"]

    def add(code, name, name_en, kind, area=health, **extra):
        c.competences[code] = Competence.objects.create(
            code=code, name=name, name_en=name_en, kind=kind, area=area, **extra
        )

    add(
        "HLR",
        "Hjerte-lunge-redning",
        "Cardiopulmonary resuscitation",
        CompetenceKind.COURSE,
        validity_months=12,
        required_by_law=True,
        legal_reference="Forskrift om ledelse og kvalitetsforbedring i helse- og omsorgstjenesten",
    )
    add(
        "LEGEMIDDEL",
        "Legemiddelhåndtering",
        "Medicine handling",
        CompetenceKind.COURSE,
        validity_months=24,
    )
    add("SYKEPLEIER", "Bachelor i sykepleie", "Nursing degree", CompetenceKind.FORMAL_EDUCATION)
    c.competences["SYKEPLEIER"].implies.add(c.competences["LEGEMIDDEL"])
    add("DEMENS", "Demensomsorg", "Dementia care", CompetenceKind.FURTHER_EDUCATION, scale=scale)
    add(
        "DIGITAL",
        "Digital kompetanse",
        "Digital competence",
        CompetenceKind.DIGITAL,
        area=c.areas["digital"],
        scale=scale,
    )
    return c


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def cache_in_memory(settings):
    """Each test starts with an empty cache of its own, not the files of the demo's."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; the suite hashes hundreds of passwords. The Argon2 setting
    itself is tested in tests/accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
