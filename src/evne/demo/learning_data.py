"""The demo municipality's courses (kurs) and the data protection e-learning module
(Personvern og taushetsplikt): what they are, who gives them, what they grant, and the module's
pages and question bank. Written in Norwegian like the rest of the demo municipality.

Competences are named by their codes in the starter catalog (`evne.competence.starter`).
"""

from dataclasses import dataclass
from decimal import Decimal

from evne.learning.models import CourseKind, QuestionKind


@dataclass(frozen=True)
class DemoCourse:
    """A course and the competence it grants (`grant`, at `level`); `sessions` upcoming
    sessions of `capacity` places where it is given in a room or online."""

    code: str
    name: str
    name_en: str
    kind: str
    provider: str
    hours: Decimal
    description: str
    grant: str | None = None
    level: int | None = None
    cost: Decimal | None = None
    credits: Decimal | None = None
    requires_approval: bool = False
    place: str = ""
    capacity: int = 0
    sessions: int = 0
    session_hours: int = 0


PRIVACY_COURSE = "PERSONVERN"
CPR_COURSE = "HLR-KURS"  # its first upcoming session is full, with a waiting list
APPROVAL_COURSE = "LEGEMIDDEL-KURS"  # enrolment needs the leader's approval
IMPORT_FILENAME = "kursportal-eksport.csv"  # the demo's import of earlier completions
IMPORT_RESULT = "Bestått"

COURSES = (
    DemoCourse(
        PRIVACY_COURSE,
        "Personvern og taushetsplikt",
        "Data protection and confidentiality",
        CourseKind.ELEARNING,
        "Evnevik kommune, personvernombudet",
        Decimal(1),
        "Grunnopplæring for alle ansatte: personopplysninger, taushetsplikt, "
        "informasjonssikkerhet i hverdagen og hvordan du melder avvik. Tas på nett, også på "
        "mobilen, og avsluttes med en kort test.",
        grant="PERSONVERN",
        cost=Decimal(0),
    ),
    DemoCourse(
        CPR_COURSE,
        "HLR med hjertestarter",
        "CPR with a defibrillator",
        CourseKind.CLASSROOM,
        "Evnevik legevakt",
        Decimal(3),
        "Basal hjerte-lunge-redning med hjertestarter, praktisk trening på dukker. Årlig "
        "repetisjon for helsepersonell.",
        grant="HLR",
        cost=Decimal(450),
        place="Evnevik helsehus, øvingsrommet",
        capacity=12,
        sessions=4,
        session_hours=3,
    ),
    DemoCourse(
        APPROVAL_COURSE,
        "Legemiddelhåndtering – kurs og prøve",
        "Medicine handling – course and test",
        CourseKind.CLASSROOM,
        "Evnevik kommune, fagutvikling helse og mestring",
        Decimal(6),
        "Kurs med skriftlig prøve for helsefagarbeidere og andre som skal få delegert "
        "legemiddelhåndtering. Påmeldingen må godkjennes av nærmeste leder.",
        grant="LEGEMIDDEL",
        cost=Decimal(1200),
        requires_approval=True,
        place="Evnevik helsehus, kurssal 2",
        capacity=16,
        sessions=2,
        session_hours=6,
    ),
    DemoCourse(
        "FORFLYTNING-KURS",
        "Forflytningskurs",
        "Patient handling and transfer",
        CourseKind.CLASSROOM,
        "Evnevik kommune, ergoterapitjenesten",
        Decimal(4),
        "Trygg forflytning av brukere med og uten hjelpemidler, for brukeren og for deg.",
        grant="FORFLYTNING",
        cost=Decimal(600),
        place="Evnevik helsehus, hjelpemiddellageret",
        capacity=10,
        sessions=2,
        session_hours=4,
    ),
    DemoCourse(
        "SMITTEVERN-WEB",
        "Basale smittevernrutiner",
        "Basic infection control routines",
        CourseKind.WEBINAR,
        "Evnevik kommune, smittevernoverlegen",
        Decimal(2),
        "Håndhygiene, bruk av smittevernutstyr og basale rutiner i helse- og omsorgstjenesten. "
        "Webinar på Teams.",
        grant="SMITTEVERN",
        cost=Decimal(0),
        place="Teams",
        capacity=80,
        sessions=2,
        session_hours=2,
    ),
    DemoCourse(
        "TVANG-MAKT-KURS",
        "Tvang og makt – kapittel 9",
        "Coercion and force – chapter 9",
        CourseKind.CLASSROOM,
        "Statsforvalteren i samarbeid med Evnevik kommune",
        Decimal(6),
        "Regelverket i helse- og omsorgstjenesteloven kapittel 9, forebygging og alternativer "
        "til tvang, med case fra egne tjenester.",
        grant="TVANG-MAKT",
        cost=Decimal(0),
        place="Evnevik rådhus, bystyresalen",
        capacity=40,
        sessions=1,
        session_hours=6,
    ),
    DemoCourse(
        "DEMENS-ABC",
        "Demensomsorgens ABC",
        "The ABC of dementia care",
        CourseKind.WORKPLACE,
        "Aldring og helse – nasjonalt senter",
        Decimal(60),
        "Arbeidsplassbasert opplæring i studiegrupper over to år, med permer og "
        "refleksjonsmøter på egen arbeidsplass.",
        grant="DEMENS",
        level=2,
        cost=Decimal(1500),
    ),
    DemoCourse(
        "HMS-LEDER-KURS",
        "HMS-opplæring for ledere",
        "Health and safety training for managers",
        CourseKind.CLASSROOM,
        "Bedriftshelsetjenesten i Evnevik",
        Decimal(21),
        "Lovpålagt opplæring for ledere etter arbeidsmiljøloven § 3-5, over tre dager.",
        grant="HMS-LEDER",
        cost=Decimal(4900),
        place="Evnevik rådhus, møterom Fjorden",
        capacity=20,
        sessions=1,
        session_hours=7,
    ),
    DemoCourse(
        "VU-DEMENS-30",
        "Videreutdanning i demensomsorg (30 studiepoeng)",
        "Further education in dementia care (30 credits)",
        CourseKind.FURTHER_EDUCATION,
        "OsloMet – storbyuniversitetet",
        Decimal(800),
        "Deltidsstudium over to semestre for sykepleiere og vernepleiere.",
        grant="VU-DEMENS",
        cost=Decimal(0),
        credits=Decimal(30),
    ),
    DemoCourse(
        "MENTOR-NYUTDANNET",
        "Mentorordning for nyutdannede sykepleiere",
        "Mentoring for newly qualified nurses",
        CourseKind.MENTORING,
        "Evnevik kommune, helse og mestring",
        Decimal(20),
        "Et år med fast mentor og månedlige samtaler for nyutdannede i kommunens tjenester.",
    ),
)

# The data protection module: pass mark, questions drawn per attempt, attempts allowed.
PASS_MARK, QUESTIONS_DRAWN, ATTEMPTS_ALLOWED = 80, 6, 3

PAGES = (
    (
        "Hva er personopplysninger?",
        """En **personopplysning** er enhver opplysning som kan knyttes til en person, direkte
eller indirekte. Navn, fødselsnummer, adresse og telefonnummer er personopplysninger, men det er
også et bilde der noen kan kjennes igjen, et romnummer på sykehjemmet sammen med en dato, eller
en beskrivelse av en bruker som gjør at kollegaer skjønner hvem det gjelder.

Noen opplysninger er ekstra beskyttet. Personvernforordningen (GDPR) kaller dem **særlige
kategorier**. Her er de viktigste for oss:

- helseopplysninger
- opplysninger om religion og livssyn
- etnisk opprinnelse
- seksuell legning
- fagforeningsmedlemskap

I helse og omsorg behandler vi slike opplysninger hver dag.

Kommunen har lov til å behandle personopplysninger når det er et **rettslig grunnlag** for det,
for eksempel at det trengs for å gi helsehjelp. To prinsipper gjelder alltid:

- **Formålsbegrensning**: opplysningene brukes bare til det de ble samlet inn for.
- **Dataminimering**: vi samler inn og bruker bare de opplysningene vi trenger.""",
    ),
    (
        "Taushetsplikt",
        """Som ansatt i kommunen har du **taushetsplikt**. Du skal hindre at andre får vite om
personlige forhold du får kjennskap til i jobben. Taushetsplikten står i forvaltningsloven § 13.
For helsepersonell står den også i helsepersonelloven § 21.

Taushetsplikten gjelder

- overfor familie, venner og naboer
- overfor kollegaer som ikke trenger opplysningene i arbeidet sitt
- på sosiale medier, også når du ikke skriver navnet på noen
- også etter at du har sluttet i kommunen.

Du kan **gi opplysninger til kollegaer som skal gi brukeren helsehjelp**, når de trenger dem
for å gjøre jobben (helsepersonelloven § 25). Brukeren kan motsette seg det.

Det er **forbudt å lese, søke etter eller skaffe seg** taushetsbelagte opplysninger uten at det
trengs i arbeidet (helsepersonelloven § 21 a). Det gjelder også når du er nysgjerrig på en
nabo, et familiemedlem eller en kjent person, og selv om du ikke forteller det videre. Kommunen
logger oppslag i journalsystemene og kontrollerer loggene.

Noen ganger har du plikt til å si fra, for eksempel **opplysningsplikten til barnevernet** når
du har grunn til å tro at et barn blir mishandlet eller utsatt for alvorlig omsorgssvikt. Spør
leder hvis du er i tvil.""",
    ),
    (
        "Informasjonssikkerhet i hverdagen",
        """Informasjonssikkerhet handler om tre ting:

1. **Konfidensialitet**: bare de som skal, får se opplysningene.
2. **Integritet**: opplysningene er riktige og ikke endret av noen som ikke skulle.
3. **Tilgjengelighet**: opplysningene er der når du trenger dem.

Det meste av sikkerheten ligger i vanlige vaner:

- **Lås skjermen** når du går fra PC-en (Windows-tasten + L), også på vaktrommet.
- Logg inn med **din egen bruker**, og del aldri passord eller kodebrikke med noen.
- Bruk **kommunens godkjente systemer** for opplysninger om brukere: fagsystemet, ikke privat
  e-post, SMS eller meldingsapper. Ta ikke bilder av brukere eller sår med privat mobil.
- Vær på vakt mot **falske e-poster** (phishing) som ber deg logge inn, åpne et vedlegg eller
  betale noe. Klikk ikke, og meld fra etter kommunens rutine.
- Hent utskrifter med en gang, og legg papirer med personopplysninger i låst makuleringsboks.
- Tenk på hvor du snakker om brukere: ikke i heisen, på bussen eller i kantina.""",
    ),
    (
        "Avvik: når noe går galt",
        """Et **avvik** er når personopplysninger kommer på avveie, blir endret eller blir
utilgjengelige ved en feil. Det er også et avvik når noen har sett opplysninger de ikke skulle
se. Eksempler:

- en e-post eller et brev med opplysninger om en bruker er sendt til feil mottaker
- en mobil, PC eller minnepinne med brukeropplysninger er mistet eller stjålet
- en kollega har lest journaler uten tjenstlig behov
- en dør til arkivet har stått åpen.

**Meld avviket med en gang** i kommunens avvikssystem og si fra til nærmeste leder. Vent ikke
på å se om det ordner seg, og prøv ikke å skjule det. Kommunen må melde brudd på
personopplysningssikkerheten til **Datatilsynet innen 72 timer** etter at den ble kjent med
bruddet (personvernforordningen artikkel 33). Når bruddet kan gi høy risiko for dem det
gjelder, skal også de få beskjed.

Avvik meldes for at vi skal lære og hindre at det skjer igjen. Den som melder et avvik, gjør
jobben sin.""",
    ),
    (
        "Rettigheter og hvor du får hjelp",
        """Alle har rettigheter når kommunen behandler opplysninger om dem, også du som ansatt:

- **rett til innsyn** i opplysningene kommunen har om deg
- **rett til retting** av opplysninger som er feil
- rett til å få vite hva opplysningene brukes til, og hvem de deles med.

En bruker som ber om innsyn i egen journal, har som hovedregel rett til det. Det er ikke et
avvik, men en henvendelse du sender videre etter rutinen i tjenesten din.

Kommunen har et **personvernombud** som gir råd om personvern, og som ansatte og innbyggere kan
kontakte. Har du spørsmål om taushetsplikt i en konkret sak, spør først nærmeste leder.

Når du har lest sidene, tar du testen. Du får seks spørsmål, og du må ha minst 80 % riktige for å
bestå. Du har tre forsøk. Når du består, får du et kursbevis du kan laste ned.""",
    ),
)


@dataclass(frozen=True)
class DemoQuestion:
    """A question of the bank: its kind, text, explanation, and the choices with the right ones
    marked; `difficulty` is the share of people who get it wrong."""

    kind: str
    text: str
    explanation: str
    choices: tuple[tuple[str, bool], ...]
    difficulty: float


TRUE_FALSE = (("Sant", True), ("Usant", False))
FALSE_TRUE = (("Sant", False), ("Usant", True))

QUESTIONS = (
    DemoQuestion(
        QuestionKind.SINGLE,
        "Hvilken av disse er en personopplysning?",
        "Et bilde der en person kan kjennes igjen, kan knyttes til den personen.",
        (
            ("Et bilde der en beboer kan kjennes igjen", True),
            ("Antall senger på sykehjemmet", False),
            ("Kommunens budsjett for neste år", False),
        ),
        0.05,
    ),
    DemoQuestion(
        QuestionKind.MULTIPLE,
        "Hvilke av disse er særlige kategorier av personopplysninger? Velg alle som passer.",
        "Helseopplysninger og religiøs overbevisning er særlige kategorier. Adresse og "
        "telefonnummer er vanlige personopplysninger.",
        (
            ("Helseopplysninger", True),
            ("Religiøs overbevisning", True),
            ("Adresse", False),
            ("Telefonnummer", False),
        ),
        0.3,
    ),
    DemoQuestion(
        QuestionKind.TRUE_FALSE,
        "Taushetsplikten gjelder også etter at du har sluttet i kommunen.",
        "Taushetsplikten gjelder for alltid, også etter at arbeidsforholdet er slutt.",
        TRUE_FALSE,
        0.1,
    ),
    DemoQuestion(
        QuestionKind.TRUE_FALSE,
        "Du kan slå opp i journalen til en nabo som er innlagt, så lenge du ikke forteller det "
        "videre.",
        "Det er forbudt å lese taushetsbelagte opplysninger uten tjenstlig behov "
        "(helsepersonelloven § 21 a), selv om du ikke forteller det videre.",
        FALSE_TRUE,
        0.08,
    ),
    DemoQuestion(
        QuestionKind.SINGLE,
        "Du har sendt en e-post med opplysninger om en bruker til feil mottaker. Hva gjør du "
        "først?",
        "Et avvik skal meldes med en gang, slik at kommunen kan begrense skaden og melde til "
        "Datatilsynet i tide.",
        (
            ("Melder avvik og sier fra til nærmeste leder med en gang", True),
            ("Venter og ser om mottakeren svarer", False),
            ("Sletter e-posten fra Sendte elementer og sier ingenting", False),
        ),
        0.12,
    ),
    DemoQuestion(
        QuestionKind.SINGLE,
        "Hvor lang tid har kommunen på å melde et brudd på personopplysningssikkerheten til "
        "Datatilsynet?",
        "Personvernforordningen artikkel 33: innen 72 timer etter at bruddet ble kjent.",
        (
            ("72 timer etter at kommunen ble kjent med bruddet", True),
            ("En uke", False),
            ("30 dager", False),
        ),
        0.35,
    ),
    DemoQuestion(
        QuestionKind.MULTIPLE,
        "Hva gjør du for å beskytte opplysningene på PC-en på vaktrommet? Velg alle som passer.",
        "Lås skjermen og bruk din egen bruker. Passord deles aldri og skrives ikke ned.",
        (
            ("Låser skjermen når jeg går fra", True),
            ("Logger inn med min egen bruker", True),
            ("Skriver passordet på en lapp ved skjermen", False),
            ("Deler innlogging med kollegaer på samme vakt", False),
        ),
        0.2,
    ),
    DemoQuestion(
        QuestionKind.TRUE_FALSE,
        "Det er greit å sende et bilde av et sår til legen med SMS fra din private mobil.",
        "Helseopplysninger sendes bare i kommunens godkjente systemer, aldri med privat mobil.",
        FALSE_TRUE,
        0.15,
    ),
    DemoQuestion(
        QuestionKind.SINGLE,
        "Du får en e-post som ber deg logge inn via en lenke for å «bekrefte kontoen». Hva gjør "
        "du?",
        "Slike e-poster er ofte phishing. Klikk ikke, og meld fra etter kommunens rutine.",
        (
            ("Klikker ikke, og melder fra etter kommunens rutine", True),
            ("Logger inn for å være sikker", False),
            ("Videresender den til kollegaene mine", False),
        ),
        0.1,
    ),
    DemoQuestion(
        QuestionKind.MULTIPLE,
        "Hvilke av disse er avvik som skal meldes? Velg alle som passer.",
        "En tapt minnepinne og snoking i journaler er avvik. En bruker som ber om innsyn i egen "
        "journal, bruker en rettighet.",
        (
            ("En minnepinne med brukeropplysninger er borte", True),
            ("En kollega har lest journaler uten tjenstlig behov", True),
            ("En bruker ber om innsyn i egen journal", False),
        ),
        0.4,
    ),
    DemoQuestion(
        QuestionKind.SINGLE,
        "Hva betyr dataminimering?",
        "Vi samler inn og bruker bare de opplysningene som trengs til formålet.",
        (
            ("Å bare samle inn og bruke de opplysningene som trengs", True),
            ("Å lagre alle opplysninger i ett system", False),
            ("Å skrive kortest mulig journalnotater", False),
        ),
        0.25,
    ),
    DemoQuestion(
        QuestionKind.TRUE_FALSE,
        "Du kan gi kollegaer som skal gi brukeren helsehjelp, de opplysningene de trenger for å "
        "gjøre jobben.",
        "Helsepersonelloven § 25 tillater det, med mindre brukeren motsetter seg det.",
        TRUE_FALSE,
        0.3,
    ),
)
