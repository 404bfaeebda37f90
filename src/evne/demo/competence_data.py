"""The demo municipality's competence data: what each job role and unit requires (kompetansekrav),
the staffing targets (bemanningsmål), the formal qualifications that come with each role, and the
shares the records are drawn to.

Competences are named by their codes in the starter catalog (`evne.competence.starter`). Job
roles and kinds of unit are those of `evne.demo.data`. Requirement notes and rejection reasons
are data, written in Norwegian like the rest of the demo municipality.
"""

from dataclasses import dataclass
from decimal import Decimal

from evne.demo.data import AREA_RANK, DEPARTMENT_RANK, ROOT_RANK, UNIT_RANK


@dataclass(frozen=True)
class Need:
    """One requirement on a holder: mandatory unless `desired`, at `level` on the competence's
    scale (None for a have/not competence), with its legal basis (hjemmel) and the days a new
    hire has to meet it."""

    code: str
    desired: bool = False
    level: int | None = None
    legal_basis: str = ""
    grace_days: int | None = None


@dataclass(frozen=True)
class Where:
    """Which units: those of a rank, narrowed to a kind of unit (for a department: the kind of
    the unit it belongs to) and to a name (a department called "Skjermet avdeling 2" matches
    "Skjermet avdeling")."""

    rank: int
    kind: str = ""
    name: str = ""


@dataclass(frozen=True)
class Target:
    """A staffing target on every unit `where` matches: at least `minimum` people (or FTE when
    `fte`) with the competence at `level`, now or by `due` (month, day) next year."""

    where: Where
    code: str
    minimum: Decimal
    level: int | None = None
    fte: bool = False
    due: tuple[int, int] | None = None
    note: str = ""


ROOT = Where(ROOT_RANK)
HEALTH = Where(AREA_RANK, name="Helse og mestring")
NURSING_HOMES = Where(UNIT_RANK, kind="sykehjem")
GROUP_HOMES = Where(UNIT_RANK, kind="bofellesskap")
HOME_CARE = Where(UNIT_RANK, kind="hjemmetjeneste")
KINDERGARTENS = Where(UNIT_RANK, kind="barnehage")
TECHNICAL = Where(UNIT_RANK, kind="teknisk_drift")
PROPERTY = Where(UNIT_RANK, kind="eiendom")
DEMENTIA_WARDS = Where(DEPARTMENT_RANK, kind="sykehjem", name="Skjermet avdeling")
ROADS = Where(DEPARTMENT_RANK, kind="teknisk_drift", name="Vei og trafikk")
HSE_OFFICE = Where(DEPARTMENT_RANK, kind="hr", name="HMS")

# Legal bases (hjemler) quoted by several requirements.
AUTHORISATION = "Helsepersonelloven § 48 (autorisasjon)"
MEDICINES = "Legemiddelhåndteringsforskriften § 4"
INFECTION = "Forskrift om smittevern i helse- og omsorgstjenesten § 2-1"
COERCION = "Helse- og omsorgstjenesteloven kap. 9"
TEACHERS = "Opplæringslova, krav om kompetanse for tilsetting"
KINDERGARTEN_TEACHERS = "Barnehageloven § 24"
LEADER_HSE = "Arbeidsmiljøloven § 3-5"
HSE_TRAINING = "Arbeidsmiljøloven § 6-5 og § 7-4"
PRIVACY = "Personvernforordningen art. 32"

CPR = Need("HLR", grace_days=60)
MEDICINE_HANDLING = Need("LEGEMIDDEL", legal_basis=MEDICINES, grace_days=90)
PATIENT_HANDLING = Need("FORFLYTNING", grace_days=90)
FIRST_AID_CHILDREN = Need("FORSTEHJELP-BARN", grace_days=90)
LEADER_HSE_TRAINING = Need("HMS-LEDER", legal_basis=LEADER_HSE, grace_days=180)

ROLE_NEEDS: dict[str, tuple[Need, ...]] = {
    "Sykepleier": (
        Need("SYKEPLEIER", legal_basis=AUTHORISATION),
        CPR,
        MEDICINE_HANDLING,  # met by the nursing degree, which implies it
        Need("SMITTEVERN", legal_basis=INFECTION, grace_days=90),
        Need("PERSONVERN", legal_basis=PRIVACY, grace_days=60),
    ),
    "Helsesykepleier": (Need("SYKEPLEIER", legal_basis=AUTHORISATION), CPR),
    "Jordmor": (Need("SYKEPLEIER", legal_basis=AUTHORISATION), CPR),
    "Helsefagarbeider": (
        Need("HELSEFAGARBEIDER", legal_basis=AUTHORISATION),
        CPR,
        MEDICINE_HANDLING,
        PATIENT_HANDLING,
    ),
    "Vernepleier": (
        Need("VERNEPLEIER", legal_basis=AUTHORISATION),
        CPR,
        MEDICINE_HANDLING,
        Need("TVANG-MAKT", legal_basis=COERCION, grace_days=90),
    ),
    "Assistent": (CPR, PATIENT_HANDLING),
    "Miljøterapeut": (CPR, Need("TVANG-MAKT", legal_basis=COERCION, grace_days=90)),
    "Fysioterapeut": (PATIENT_HANDLING,),
    "Ergoterapeut": (PATIENT_HANDLING,),
    "Lege": (CPR,),
    "Lærer": (Need("LAERER", legal_basis=TEACHERS), FIRST_AID_CHILDREN),
    "Spesialpedagog": (Need("LAERER", legal_basis=TEACHERS),),
    "Barnehagelærer": (
        Need("BARNEHAGELAERER", legal_basis=KINDERGARTEN_TEACHERS),
        FIRST_AID_CHILDREN,
    ),
    "Fagarbeider barnehage": (FIRST_AID_CHILDREN,),
    "Barnehageassistent": (FIRST_AID_CHILDREN,),
    "Skoleassistent": (FIRST_AID_CHILDREN,),
    "SFO-assistent": (FIRST_AID_CHILDREN,),
    "Vaktmester": (Need("BRANNVERN", grace_days=90),),
    "Avdelingsleder": (LEADER_HSE_TRAINING,),
    "Enhetsleder": (LEADER_HSE_TRAINING, Need("LEDERUTDANNING", desired=True)),
    "Kommunalsjef": (LEADER_HSE_TRAINING,),
    "Kommunedirektør": (LEADER_HSE_TRAINING,),
}

UNIT_NEEDS: tuple[tuple[Where, tuple[Need, ...]], ...] = (
    (ROOT, (Need("PERSONVERN", legal_basis=PRIVACY, grace_days=60),)),
    (HEALTH, (Need("SMITTEVERN", legal_basis=INFECTION, grace_days=90), CPR)),
    (
        NURSING_HOMES,
        (
            Need("DEMENS", desired=True, level=2),
            Need("TVANG-MAKT", legal_basis=COERCION, grace_days=90),
        ),
    ),
    (GROUP_HOMES, (Need("TVANG-MAKT", legal_basis=COERCION, grace_days=90),)),
    (ROADS, (Need("ARBEIDSVARSLING", grace_days=30),)),
    (HSE_OFFICE, (Need("HMS-40", legal_basis=HSE_TRAINING, grace_days=180),)),
)

ROLE_IN_UNIT_NEEDS: tuple[tuple[Where, str, tuple[Need, ...]], ...] = (
    (
        TECHNICAL,
        "Fagarbeider",
        (Need("VARME-ARBEIDER", grace_days=30), Need("HMS-40", desired=True)),
    ),
    (PROPERTY, "Vaktmester", (Need("VARME-ARBEIDER", grace_days=30),)),
    (HOME_CARE, "Helsefagarbeider", (Need("DEMENS", desired=True, level=1),)),
)

STAFFING_TARGETS = (
    Target(
        NURSING_HOMES,
        "DEMENS",
        Decimal(2),
        level=3,
        note="Minst to med avansert demenskompetanse i enheten.",
    ),
    Target(
        DEMENTIA_WARDS,
        "DEMENS",
        Decimal(3),
        level=3,
        note="Skjermet avdeling skal ha avansert demenskompetanse på alle vakter.",
    ),
    Target(
        GROUP_HOMES,
        "VERNEPLEIER",
        Decimal(3),
        fte=True,
        due=(8, 1),
        note="Økt vernepleierdekning etter tilsyn fra statsforvalteren.",
    ),
    Target(HOME_CARE, "SYKEPLEIER", Decimal(12), fte=True, note="Sykepleier på alle vakter."),
    Target(KINDERGARTENS, "BARNEHAGELAERER", Decimal(3), note="Pedagognormen."),
)

# The formal qualification (utdanning, fagbrev) each role comes with.
FORMAL_BY_ROLE = {
    "Sykepleier": "SYKEPLEIER",
    "Helsesykepleier": "SYKEPLEIER",
    "Jordmor": "SYKEPLEIER",
    "Vernepleier": "VERNEPLEIER",
    "Helsefagarbeider": "HELSEFAGARBEIDER",
    "Lærer": "LAERER",
    "Spesialpedagog": "LAERER",
    "Barnehagelærer": "BARNEHAGELAERER",
}
# Qualified beyond their role (role, code, share): competence the municipality could use better.
EXTRA_FORMAL = (
    ("Assistent", "HELSEFAGARBEIDER", 0.08),
    ("Helsefagarbeider", "SYKEPLEIER", 0.03),
    ("Skoleassistent", "LAERER", 0.04),
    ("Barnehageassistent", "BARNEHAGELAERER", 0.05),
    ("Fagarbeider barnehage", "BARNEHAGELAERER", 0.06),
)

# Shares of the applicable requirements (a person and a competence) in each state on the
# reference date; the rest is met. Some are met, pending or missing through a formal
# qualification; the others are drawn to make up the totals.
EXPIRING_SHARE = 0.065  # met, but the record expires within 90 days
EXPIRED_SHARE = 0.05
PENDING_SHARE = 0.03  # registered by the employee, not verified yet
BELOW_LEVEL_SHARE = 0.01  # only where a level is asked for
MISSING_SHARE = 0.05
FORMAL_PENDING_SHARE = 0.015  # a formal qualification registered but not verified yet
UNIT_SPREAD = (0.5, 1.8)  # how much more or less often a unit lacks something than the average
EXPIRING_DAYS = (4, 80)  # the expiry, days after the reference date, of an expiring record
EXPIRED_DAYS = (3, 420)  # the expiry, days before, of an expired one
MET_MARGIN_DAYS = 100  # a met record expires at least this long after the reference date
PENDING_DAYS = (1, 40)  # obtained this many days before the reference date

# Records obtained before this many days before the reference date were registered then, when
# the municipality began to use Evne.
REGISTERED_SINCE_DAYS = 2 * 365
RENEWAL_SHARE = 0.35  # met records of expiring competences with the previous record kept
RENEWED_PENDING_SHARE = 0.4  # pending renewals whose previous, expired record is kept
REJECTED_SHARE = 0.12  # missing competences with a rejected registration
# (steps above the required level, weight) for a met requirement with a level.
LEVEL_STEPS = ((0, 85), (1, 11), (2, 4))

# Verified records: where they come from (source, weight).
FORMAL_SOURCES = (("hr", 70), ("import", 25), ("self", 5))
COURSE_SOURCES = (("course", 45), ("elearning", 25), ("leader", 15), ("import", 10), ("self", 5))
FORMAL_EVIDENCE = "Vitnemål i personalmappen"
CREDITS = (Decimal(30), Decimal(60))  # studiepoeng of a further education
REJECTION_REASONS = (
    "Kursbeviset gjelder et annet kurs.",
    "Dokumentasjon mangler. Last opp kursbevis og registrer på nytt.",
    "Kursbeviset er ikke lesbart. Last opp en ny kopi.",
    "Kurset dekker ikke kravene i kommunens opplæringsplan.",
)


@dataclass(frozen=True)
class Extra:
    """Competence no requirement asks for (to mobilise): a `share` of the people in `roles`
    (everyone when empty) hold `items` of the `codes`, obtained `days` before the reference
    date, all on one day when `same_day` (a survey). `optional` codes are skipped when the
    catalog lacks them."""

    codes: tuple[str, ...]
    share: float
    source: str
    days: tuple[int, int]
    roles: tuple[str, ...] = ()
    items: tuple[int, int] = (1, 1)
    levels: tuple[tuple[int, int], ...] = ((1, 20), (2, 40), (3, 30), (4, 10))
    same_day: bool = False
    pending_share: float = 0.0
    evidence_reference: str = ""
    optional: bool = False


LEADER_ROLES = ("Avdelingsleder", "Enhetsleder", "Kommunalsjef", "Kommunedirektør")
EXTRAS = (
    Extra(
        tuple(f"DIG-{number:02d}" for number in range(1, 11)),
        0.3,
        "import",
        (30, 400),
        items=(3, 10),
        same_day=True,
        evidence_reference="Kartlegging av digital kompetanse",
    ),
    Extra(
        ("GF-LESE", "GF-SKRIVE", "GF-REGNE", "GF-MUNTLIG", "GF-DIGITALE"),
        0.12,
        "course",
        (60, 1500),
        roles=("Assistent", "Renholder", "Barnehageassistent", "SFO-assistent", "Kokk"),
        items=(1, 3),
        levels=((1, 30), (2, 45), (3, 25)),
        evidence_reference="Kompetansepluss arbeid",
    ),
    Extra(("LEDERUTDANNING",), 0.45, "hr", (365, 4000), roles=LEADER_ROLES),
    Extra(
        ("LEDERUTDANNING",),
        0.03,
        "hr",
        (200, 3000),
        roles=("Rådgiver", "HR-rådgiver", "Sykepleier", "Lærer", "Vernepleier"),
    ),
    Extra(
        ("VU-DEMENS", "VU-ELDRE", "VU-PALLIASJON", "VU-PSYKISK-RUS"),
        0.12,
        "hr",
        (200, 3000),
        roles=("Sykepleier", "Vernepleier"),
        optional=True,
    ),
    Extra(
        ("LAERER-NORSK", "LAERER-MATEMATIKK", "LAERER-ENGELSK"),
        0.2,
        "hr",
        (200, 3000),
        roles=("Lærer",),
        items=(1, 2),
        optional=True,
    ),
    Extra(
        ("ENGELSK",),
        0.08,
        "self",
        (30, 2000),
        levels=((2, 30), (3, 45), (4, 25)),
        pending_share=0.1,
        optional=True,
    ),
    Extra(("SAMISK",), 0.005, "self", (30, 2000), pending_share=0.2, optional=True),
)

# What the demo logins show (see logins.py): the employee has a verified record (the formal
# qualification of their role), one expiring soon, one waiting for verification and one missing,
# preferably these; the leader's unit has at least this many records waiting for them.
EMPLOYEE_LOGIN, LEADER_LOGIN = "ansatt", "leder"
EMPLOYEE_SITUATION = (("expiring", "HLR"), ("pending", "FORFLYTNING"), ("missing", "TVANG-MAKT"))
LEADER_PENDING = 4
