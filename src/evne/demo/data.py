"""The building blocks of the synthetic demo municipality: levels, job roles, kinds of units and
name lists.

Everything here is invented or generic. The names are common Norwegian given and family names,
combined at random by the generator, so no real person is described. The STYRK-08 codes are
Statistics Norway's occupation codes; a role is left without one where no code fits it well.
"""

from dataclasses import dataclass, field

MUNICIPALITY = "Evnevik kommune"
EMAIL_DOMAIN = "evnevik.kommune.no"

# (name, rank): kommune at the top, then område (area), enhet (unit), avdeling (department).
LEVELS = (("Kommune", 0), ("Område", 1), ("Enhet", 2), ("Avdeling", 3))
ROOT_RANK, AREA_RANK, UNIT_RANK, DEPARTMENT_RANK = 0, 1, 2, 3

# FTE profiles (stillingsprosent): (FTE %, weight).
FTE_PROFILES = {
    "care": ((100, 36), (80, 14), (75, 12), (60, 10), (50, 10), (40, 9), (20, 9)),
    "support": ((100, 18), (80, 10), (75, 8), (60, 12), (50, 16), (40, 16), (20, 20)),
    "school": ((100, 80), (80, 8), (60, 6), (50, 6)),
    "office": ((100, 88), (80, 6), (60, 3), (50, 3)),
    "leader": ((100, 1),),
}


@dataclass(frozen=True)
class Role:
    """A job role (stilling) and how the people holding it tend to look."""

    name: str
    styrk: str = ""
    women: float = 0.75  # share of women
    age: float = 44  # mean age
    min_age: int = 20
    education: tuple[tuple[int, float], ...] = ((4, 1),)  # (EducationLevel, weight)
    fte: str = "office"
    temporary: float = 0.06  # share of temporary primary positions


HIGHER = ((6, 0.8), (7, 0.2))
MASTER = ((6, 0.4), (7, 0.6))
ASSISTANT = ((2, 0.25), (3, 0.25), (4, 0.35), (6, 0.15))

ROLES = {
    role.name: role
    for role in (
        # Helse og mestring (health and care)
        Role("Sykepleier", "2223", 0.9, 42, 22, ((6, 0.85), (7, 0.15)), "care", 0.06),
        Role("Helsefagarbeider", "5321", 0.9, 46, 19, ((4, 0.9), (5, 0.1)), "care", 0.06),
        Role("Assistent", "5329", 0.8, 36, 18, ASSISTANT, "support", 0.3),
        Role("Vernepleier", "2224", 0.8, 41, 22, ((6, 0.9), (7, 0.1)), "care", 0.06),
        Role("Miljøterapeut", "3412", 0.7, 41, 22, ((5, 0.2), (6, 0.7), (7, 0.1)), "care", 0.1),
        Role("Fysioterapeut", "2264", 0.7, 42, 23, HIGHER, "office"),
        Role("Ergoterapeut", "2267", 0.9, 42, 23, HIGHER, "office"),
        Role("Lege", "2211", 0.55, 43, 27, ((7, 1),), "office", 0.1),
        Role("Sosionom", "2635", 0.85, 42, 22, ((6, 0.85), (7, 0.15)), "office"),
        Role("Kokk", "5120", 0.6, 46, 19, ((4, 1),), "office"),
        # Oppvekst (childhood and education)
        Role("Lærer", "2341", 0.78, 44, 23, ((6, 0.55), (7, 0.45)), "school", 0.1),
        Role("Spesialpedagog", "2352", 0.85, 48, 25, ((6, 0.3), (7, 0.7)), "school"),
        Role("Skoleassistent", "5312", 0.8, 40, 18, ASSISTANT, "support", 0.3),
        Role("Barnehagelærer", "2342", 0.93, 43, 22, ((6, 0.9), (7, 0.1)), "school", 0.08),
        Role("Fagarbeider barnehage", "5311", 0.9, 45, 19, ((4, 1),), "school", 0.08),
        Role("Barnehageassistent", "5311", 0.85, 37, 18, ASSISTANT, "support", 0.25),
        Role("SFO-assistent", "5311", 0.8, 36, 18, ASSISTANT, "support", 0.3),
        Role("Helsesykepleier", "2221", 0.97, 46, 26, ((7, 1),), "office"),
        Role("Jordmor", "2222", 1.0, 47, 26, ((7, 1),), "office"),
        Role("Barnevernspedagog", "2635", 0.85, 41, 22, ((6, 0.85), (7, 0.15)), "office", 0.08),
        # Kultur (culture)
        Role("Bibliotekar", "2622", 0.75, 48, 23, MASTER, "office"),
        Role("Kulturskolelærer", "", 0.55, 45, 23, ((6, 0.5), (7, 0.5)), "school", 0.15),
        # By- og stedsutvikling (planning, technical services, property)
        Role("Fagarbeider", "", 0.1, 45, 19, ((2, 0.1), (4, 0.9)), "office"),
        Role("Vaktmester", "5153", 0.1, 50, 20, ((2, 0.2), (4, 0.8)), "office"),
        Role("Renholder", "9112", 0.8, 46, 18, ((2, 0.45), (3, 0.2), (4, 0.35)), "support"),
        Role("Ingeniør", "", 0.3, 44, 22, ((6, 0.6), (7, 0.4)), "office"),
        Role("Arealplanlegger", "2164", 0.55, 42, 24, ((7, 1),), "office"),
        # Administration
        Role("Konsulent", "", 0.85, 46, 19, ((4, 0.4), (5, 0.15), (6, 0.45)), "office"),
        Role("Rådgiver", "2422", 0.7, 46, 23, MASTER, "office"),
        Role("HR-rådgiver", "2423", 0.8, 45, 23, MASTER, "office"),
        Role("Lønnskonsulent", "4313", 0.85, 47, 20, ((4, 0.5), (6, 0.5)), "office"),
        Role("Regnskapskonsulent", "4311", 0.8, 47, 20, ((4, 0.3), (6, 0.7)), "office"),
        Role("Arkivar", "2621", 0.7, 48, 23, ((6, 0.6), (7, 0.4)), "office"),
        Role("Systemadministrator", "2522", 0.2, 42, 20, ((5, 0.3), (6, 0.5), (7, 0.2)), "office"),
        Role("IT-konsulent", "", 0.3, 40, 19, ((4, 0.2), (5, 0.2), (6, 0.4), (7, 0.2)), "office"),
        # Leaders
        Role("Avdelingsleder", "", 0.82, 47, 27, ((6, 0.8), (7, 0.2)), "leader", 0),
        Role("Enhetsleder", "", 0.72, 51, 30, ((6, 0.5), (7, 0.5)), "leader", 0),
        Role("Kommunalsjef", "", 0.55, 54, 35, ((7, 1),), "leader", 0),
        Role("Kommunedirektør", "", 0.5, 56, 40, ((7, 1),), "leader", 0),
    )
}

ROOT_LEADER, AREA_LEADER, UNIT_LEADER, DEPARTMENT_LEADER = (
    "Kommunedirektør",
    "Kommunalsjef",
    "Enhetsleder",
    "Avdelingsleder",
)
STAFF_ROLES = {"Rådgiver": 75, "Konsulent": 25}  # the offices of the director and the areas


@dataclass(frozen=True)
class Department:
    """A kind of department (avdeling) in a unit; `weight` is its share of the unit's staff."""

    name: str
    weight: float = 1
    roles: dict[str, float] | None = None  # None: the unit's roles


@dataclass(frozen=True)
class Kind:
    """A kind of unit (enhet). `name` is a pattern: `{place}` is replaced by a place name.

    Staff not in a department work in the unit itself. With `dept_share` 1 all staff but the
    leader (and a small office in big units) are spread over departments of about `dept_size`
    people; with a smaller share that part goes to the listed departments (SFO in a school).
    """

    key: str
    name: str
    share: float  # of the area's headcount
    roles: dict[str, float]
    size: tuple[int, int] | None = None  # a repeated kind: typical headcount of one unit
    departments: tuple[Department, ...] = ()
    dept_share: float = 1.0
    dept_size: int = 25


@dataclass(frozen=True)
class Area:
    """An area (område) under the municipal director, led by a kommunalsjef."""

    name: str
    share: float  # of the municipality's headcount
    kinds: tuple[Kind, ...] = field(default=())


def _departments(*names: str) -> tuple[Department, ...]:
    return tuple(Department(name) for name in names)


CARE = {"Sykepleier": 26, "Helsefagarbeider": 40, "Assistent": 24}

AREAS = (
    Area(
        "Helse og mestring",
        0.45,
        (
            Kind(
                "sykehjem",
                "{place} sykehjem",
                0.40,
                {**CARE, "Vernepleier": 1.5, "Fysioterapeut": 1.5, "Ergoterapeut": 1},
                size=(50, 110),
                departments=(
                    *_departments(
                        "Langtidsavdeling",
                        "Korttidsavdeling",
                        "Skjermet avdeling",
                        "Rehabiliteringsavdeling",
                        "Avdeling 2. etasje",
                    ),
                    Department("Kjøkken", 0.3, {"Kokk": 80, "Assistent": 20}),
                ),
            ),
            Kind(
                "hjemmetjeneste",
                "Hjemmetjenesten {place}",
                0.28,
                {
                    "Sykepleier": 32,
                    "Helsefagarbeider": 40,
                    "Assistent": 20,
                    "Ergoterapeut": 3,
                    "Fysioterapeut": 3,
                    "Vernepleier": 2,
                },
                size=(45, 90),
                departments=_departments("Sone nord", "Sone sør", "Nattjenesten", "Sone sentrum"),
            ),
            Kind(
                "bofellesskap",
                "{place} bofellesskap",
                0.16,
                {"Vernepleier": 22, "Miljøterapeut": 18, "Helsefagarbeider": 25, "Assistent": 35},
                size=(14, 30),
            ),
            Kind(
                "psykisk_helse",
                "Psykisk helse og rus",
                0.07,
                {
                    "Sykepleier": 30,
                    "Miljøterapeut": 30,
                    "Sosionom": 20,
                    "Vernepleier": 10,
                    "Assistent": 10,
                },
                departments=_departments(
                    "Oppfølgingstjenesten", "Bolig og aktivitet", "Lavterskeltilbud"
                ),
                dept_size=18,
            ),
            Kind(
                "tildeling",
                "Tildelingskontoret",
                0.04,
                {"Konsulent": 30, "Sykepleier": 25, "Rådgiver": 25, "Sosionom": 20},
                departments=_departments("Saksbehandling", "Koordinerende enhet"),
            ),
            Kind(
                "legevakt",
                "Legevakt",
                0.05,
                {"Sykepleier": 75, "Lege": 20, "Konsulent": 5},
                departments=_departments("Dagvakt", "Kveld og natt"),
            ),
        ),
    ),
    Area(
        "Oppvekst",
        0.30,
        (
            Kind(
                "skole",
                "{place} skole",
                0.45,
                {
                    "Lærer": 78,
                    "Spesialpedagog": 4,
                    "Skoleassistent": 12,
                    "Miljøterapeut": 3,
                    "Konsulent": 3,
                },
                size=(25, 60),
                departments=(
                    Department("SFO", roles={"Fagarbeider barnehage": 40, "SFO-assistent": 60}),
                ),
                dept_share=0.2,
            ),
            Kind(
                "ungdomsskole",
                "{place} ungdomsskole",
                0.15,
                {
                    "Lærer": 82,
                    "Spesialpedagog": 4,
                    "Skoleassistent": 6,
                    "Miljøterapeut": 5,
                    "Konsulent": 3,
                },
                size=(30, 55),
            ),
            Kind(
                "barnehage",
                "{place} barnehage",
                0.34,
                {"Barnehagelærer": 42, "Fagarbeider barnehage": 22, "Barnehageassistent": 36},
                size=(12, 30),
            ),
            Kind(
                "helsestasjon",
                "Helsestasjon og skolehelsetjeneste",
                0.03,
                {
                    "Helsesykepleier": 70,
                    "Jordmor": 12,
                    "Fysioterapeut": 8,
                    "Lege": 5,
                    "Konsulent": 5,
                },
                departments=_departments("Helsestasjonen", "Skolehelsetjenesten"),
            ),
            Kind(
                "barnevern",
                "Barneverntjenesten",
                0.025,
                {"Barnevernspedagog": 55, "Sosionom": 30, "Rådgiver": 10, "Konsulent": 5},
                departments=_departments("Mottak og undersøkelse", "Tiltak og oppfølging"),
            ),
            Kind(
                "ppt",
                "PP-tjenesten",
                0.015,
                {"Rådgiver": 55, "Spesialpedagog": 40, "Konsulent": 5},
            ),
        ),
    ),
    Area(
        "Kultur",
        0.03,
        (
            Kind(
                "bibliotek",
                "Evnevik bibliotek",
                0.35,
                {"Bibliotekar": 65, "Konsulent": 35},
                departments=_departments("Hovedbiblioteket", "Filialene"),
            ),
            Kind(
                "kulturskole",
                "Kulturskolen",
                0.35,
                {"Kulturskolelærer": 92, "Konsulent": 8},
                departments=_departments("Musikk", "Dans og teater", "Visuell kunst"),
            ),
            Kind(
                "kulturhus",
                "Kulturhuset",
                0.2,
                {"Konsulent": 40, "Fagarbeider": 30, "Rådgiver": 30},
                departments=_departments("Scene og teknikk", "Arrangement"),
            ),
            Kind("frivilligsentral", "Frivilligsentralen", 0.1, {"Konsulent": 60, "Rådgiver": 40}),
        ),
    ),
    Area(
        "By- og stedsutvikling",
        0.12,
        (
            Kind(
                "teknisk_drift",
                "Teknisk drift",
                0.35,
                {"Fagarbeider": 70, "Ingeniør": 20, "Konsulent": 10},
                departments=_departments("Vei og trafikk", "Vann og avløp", "Park og idrett"),
            ),
            Kind(
                "eiendom",
                "Eiendom",
                0.45,
                {"Renholder": 60, "Vaktmester": 28, "Ingeniør": 8, "Konsulent": 4},
                departments=(
                    Department("Renhold", 3, {"Renholder": 100}),
                    Department("Drift og vedlikehold", 1.5, {"Vaktmester": 80, "Fagarbeider": 20}),
                    Department("Byggprosjekter", 0.5, {"Ingeniør": 70, "Rådgiver": 30}),
                ),
            ),
            Kind(
                "plan_byggesak",
                "Plan, byggesak og geodata",
                0.12,
                {"Arealplanlegger": 35, "Ingeniør": 30, "Rådgiver": 20, "Konsulent": 15},
                departments=_departments("Arealplan", "Byggesak", "Geodata"),
            ),
            Kind(
                "miljo_landbruk",
                "Miljø og landbruk",
                0.08,
                {"Rådgiver": 70, "Konsulent": 30},
                departments=_departments("Miljø", "Landbruk"),
            ),
        ),
    ),
    Area(
        "Organisasjon",
        0.04,
        (
            Kind(
                "hr",
                "HR og personal",
                0.35,
                {"HR-rådgiver": 70, "Konsulent": 30},
                departments=_departments("Arbeidsgiverstøtte", "Rekruttering", "HMS"),
            ),
            Kind(
                "lonn",
                "Lønn",
                0.25,
                {"Lønnskonsulent": 90, "Rådgiver": 10},
                departments=_departments("Lønn", "Pensjon og refusjon"),
            ),
            Kind(
                "dokumentsenter",
                "Dokumentsenteret",
                0.2,
                {"Arkivar": 60, "Konsulent": 40},
                departments=_departments("Arkiv", "Post og dokumentflyt"),
            ),
            Kind(
                "servicetorg",
                "Servicetorget",
                0.2,
                {"Konsulent": 100},
                departments=_departments("Innbyggerservice", "Sentralbord"),
            ),
        ),
    ),
    Area(
        "Økonomi",
        0.03,
        (
            Kind(
                "regnskap",
                "Regnskap",
                0.35,
                {"Regnskapskonsulent": 80, "Rådgiver": 20},
                departments=_departments("Regnskap", "Fakturamottak"),
            ),
            Kind("analyse", "Budsjett og analyse", 0.25, {"Rådgiver": 100}),
            Kind(
                "skatt",
                "Skatt og innfordring",
                0.25,
                {"Konsulent": 60, "Rådgiver": 40},
                departments=_departments("Skatt", "Innfordring"),
            ),
            Kind("innkjop", "Innkjøp", 0.15, {"Rådgiver": 60, "Konsulent": 40}),
        ),
    ),
    Area(
        "Digitalisering",
        0.03,
        (
            Kind(
                "it_drift",
                "IT-drift",
                0.45,
                {"Systemadministrator": 50, "IT-konsulent": 50},
                departments=_departments("Infrastruktur", "Fagsystemer", "Klient og utstyr"),
            ),
            Kind(
                "digital_utvikling",
                "Digital utvikling",
                0.3,
                {"Rådgiver": 50, "IT-konsulent": 50},
                departments=_departments("Arkitektur og prosjekt", "Tjenesteutvikling"),
            ),
            Kind(
                "brukerstotte",
                "Brukerstøtte",
                0.25,
                {"IT-konsulent": 100},
                departments=_departments("Førstelinje", "Andrelinje"),
            ),
        ),
    ),
)

# Place names for units of repeated kinds ("Solbakken sykehjem"): first part + second part.
PLACE_STARTS = (
    "Sol",
    "Eike",
    "Bjørke",
    "Lind",
    "Furu",
    "Nord",
    "Sør",
    "Vest",
    "Øst",
    "Fjell",
    "Skog",
    "Strand",
    "Berg",
    "Dal",
    "Sjø",
    "Vik",
    "Rogn",
    "Hassel",
    "Lyng",
    "Elve",
    "Kløver",
    "Mose",
)
PLACE_ENDS = (
    "bakken",
    "lia",
    "haugen",
    "tun",
    "heim",
    "vang",
    "åsen",
    "moen",
    "lund",
    "berget",
    "dalen",
    "jordet",
    "nes",
    "sletta",
)

WOMEN = (
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Bjørg",
    "Hilde",
    "Anna",
    "Solveig",
    "Marianne",
    "Randi",
    "Ida",
    "Nina",
    "Maria",
    "Elisabeth",
    "Kristin",
    "Bente",
    "Heidi",
    "Silje",
    "Hanne",
    "Gunn",
    "Tone",
    "Camilla",
    "Ellen",
    "Wenche",
    "Ingeborg",
    "Turid",
    "Julie",
    "Line",
    "Linda",
    "Karin",
    "Trine",
    "Mona",
    "Grete",
    "Monica",
    "Tove",
    "Sissel",
    "Stine",
    "Kristine",
    "Emma",
    "Nora",
    "Sara",
    "Thea",
    "Ingvild",
    "Marte",
    "Siri",
    "Guro",
    "Tonje",
    "Helene",
    "Lene",
    "Hege",
    "Vigdis",
    "Aud",
    "Unni",
    "Lise",
    "Elin",
    "Ragnhild",
    "Åse",
    "Sigrid",
    "Hanna",
    "Emilie",
    "Mari",
    "Karoline",
    "Malin",
    "Anne-Lise",
    "Kari-Anne",
    "Fatima",
    "Amina",
    "Agnieszka",
    "Joanna",
    "Maja",
    "Sofie",
    "Leila",
    "Mariam",
    "Katarzyna",
)
MEN = (
    "Jan",
    "Per",
    "Bjørn",
    "Ole",
    "Lars",
    "Kjell",
    "Knut",
    "Arne",
    "Svein",
    "Thomas",
    "Hans",
    "Geir",
    "Tor",
    "Morten",
    "Terje",
    "Odd",
    "Erik",
    "Martin",
    "Andreas",
    "John",
    "Anders",
    "Rune",
    "Trond",
    "Tore",
    "Jon",
    "Stian",
    "Kristian",
    "Espen",
    "Magnus",
    "Daniel",
    "Marius",
    "Øyvind",
    "Jonas",
    "Henrik",
    "Fredrik",
    "Harald",
    "Even",
    "Sindre",
    "Eirik",
    "Håkon",
    "Sander",
    "Vegard",
    "Nils",
    "Gunnar",
    "Einar",
    "Olav",
    "Sverre",
    "Petter",
    "Steinar",
    "Helge",
    "Frode",
    "Kenneth",
    "Roger",
    "Lasse",
    "Mathias",
    "Emil",
    "Per-Erik",
    "Jan-Ove",
    "Ali",
    "Mohammed",
    "Ahmed",
    "Piotr",
    "Tomasz",
    "Yonas",
)
FAMILY_NAMES = (
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Rasmussen",
    "Lunde",
    "Solheim",
    "Berge",
    "Moe",
    "Nygård",
    "Bakke",
    "Kristensen",
    "Fredriksen",
    "Holm",
    "Lien",
    "Hauge",
    "Christensen",
    "Andresen",
    "Nielsen",
    "Knudsen",
    "Evensen",
    "Sæther",
    "Aas",
    "Myhre",
    "Hanssen",
    "Haugland",
    "Thomassen",
    "Sivertsen",
    "Simonsen",
    "Danielsen",
    "Berntsen",
    "Sandvik",
    "Rønning",
    "Arnesen",
    "Antonsen",
    "Næss",
    "Vik",
    "Haug",
    "Ellingsen",
    "Thorsen",
    "Edvardsen",
    "Birkeland",
    "Isaksen",
    "Gulbrandsen",
    "Ruud",
    "Aasen",
    "Strøm",
    "Myklebust",
    "Tangen",
    "Ødegård",
    "Eliassen",
    "Helland",
    "Bøe",
    "Aune",
    "Mikkelsen",
    "Tveit",
    "Brekke",
    "Abrahamsen",
    "Madsen",
    "Nguyen",
    "Ali",
    "Ahmed",
    "Hussain",
    "Khan",
    "Nowak",
    "Kowalski",
    "Tesfay",
)
