"""The demo municipality's plans: what issue 6 asks to see in the demo.

- Helse og mestring (the area of the demo leader's nursing home) has an adopted competence plan
  for this year and next, with goals tied to catalog competences, so their progress comes live
  from the gap engine, and measures of every kind with owners, costs and funding;
- the demo leader's nursing home has its own plan, serving the area's goals, in consultation
  with the union representatives: a meeting date set, and comments by the union
  representative login (`tillitsvalgt`);
- the nursing home's annual cycle (årshjul): development conversations, the employee survey,
  the yearly meeting with the union representatives on recruitment, and the plan evaluation;
- two learning plans: "Opplæring nye sykepleiere" for the nurses of the nursing home (carrying
  out one of the area's measures) and the yearly mandatory training for everyone there, whose
  assignments are set by the assignment engine from the records and completions the demo
  already has, so that every status is present.

Everything goes through the plans' own actions (creating, consultation, adoption, assigning),
as a user would; only the moments they happened are moved back afterwards. Written in Norwegian
like the rest of the demo municipality. The same organisation and reference date give the same
plans.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from evne.accounts.models import User
from evne.competence.models import Competence
from evne.core.visibility import visibility_for
from evne.learning.models import Course
from evne.organization.models import Employment, JobRole, OrgUnit, Person
from evne.plans import assignments, workflow
from evne.plans.models import (
    ActivityKind,
    Assignment,
    AssignmentTargetKind,
    CompetencePlan,
    CycleActivity,
    DueKind,
    FundingSource,
    Goal,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    Measure,
    MeasureKind,
    MeasureStatus,
    Notice,
    PeopleGroup,
    PlanComment,
    PlanRevision,
    PlanTarget,
    TargetKind,
)

NURSE = "Sykepleier"
GRANT = "Kompetanseløft 2025 (Helsedirektoratet, tilskudd til kompetanse og innovasjon)"
EXPERIENCED_DAYS = 365  # nurses here longer than this did the introduction long ago
NEW_NURSES_ASSIGNED_DAYS = 75  # the plan was given to the nurses this long before "today"


@dataclass(frozen=True)
class PlansSummary:
    competence_plans: int
    learning_plans: int
    assignments: int


@dataclass(frozen=True)
class _GoalText:
    title: str
    description: str
    code: str
    kind: str
    value: int
    level: int | None = None


@dataclass(frozen=True)
class _MeasureText:
    title: str
    description: str
    kind: str
    owner: str
    cost: int
    funding: str
    funding_note: str
    status: str
    goal: int | None  # the index of the goal it serves


AREA_SUMMARY = (
    "Helse og mestring må møte flere eldre med sammensatte behov, flere med demens og en "
    "økende mangel på sykepleiere. Planen skal sikre at alle har den lovpålagte kompetansen, "
    "at vi tar i bruk det de ansatte allerede kan, og at vi utdanner og rekrutterer det vi "
    "mangler. Den bygger på kommunens handlingsplan for kompetanse og er drøftet med de "
    "tillitsvalgte."
)
AREA_GOALS = (
    _GoalText(
        "Alle i pasientnært arbeid har gyldig HLR",
        "Hjerte-lunge-redning med hjertestarter skal være oppdatert hvert år.",
        "HLR",
        TargetKind.COVERAGE,
        95,
    ),
    _GoalText(
        "Flere sykepleiere med videreutdanning i demensomsorg",
        "Minst ti sykepleiere i området har fullført videreutdanning i demensomsorg.",
        "VU-DEMENS",
        TargetKind.PEOPLE,
        10,
    ),
    _GoalText(
        "Demensomsorg på avansert nivå i alle sykehjem",
        "Hvert sykehjem har ansatte med demensomsorg på nivå 3 på alle vakter.",
        "DEMENS",
        TargetKind.PEOPLE,
        12,
        level=3,
    ),
    _GoalText(
        "Nok sykepleiere til å dekke alle vakter",
        "Sykepleierårsverk i området, målt i stillingsprosent.",
        "SYKEPLEIER",
        TargetKind.FTE,
        40,
    ),
)
AREA_MEASURES = (
    _MeasureText(
        "Ressurspersoner i demensomsorg veileder på tvers av sykehjemmene",
        "Sykepleiere med videreutdanning i demens holder fagkvelder og veileder på kveldsvakt "
        "i andre sykehjem enn sitt eget.",
        MeasureKind.MOBILISATION,
        "Fagutviklingssykepleier, Helse og mestring",
        60_000,
        FundingSource.BUDGET,
        "Driftsbudsjett Helse og mestring, fagutvikling",
        MeasureStatus.IN_PROGRESS,
        2,
    ),
    _MeasureText(
        "Videreutdanning i demensomsorg for sykepleiere",
        "Fire plasser hvert år ved høgskolen, med permisjon med lønn på samlingsdagene og "
        "bindingstid på to år.",
        MeasureKind.DEVELOPMENT,
        "Kommunalsjef helse og mestring",
        480_000,
        FundingSource.GRANT,
        GRANT,
        MeasureStatus.IN_PROGRESS,
        1,
    ),
    _MeasureText(
        "HLR-trening med hjertestarter i alle enheter",
        "Årlig kurs på helsehuset, med egne kursdager for natt- og helgevakter.",
        MeasureKind.DEVELOPMENT,
        "Evnevik legevakt",
        150_000,
        FundingSource.BUDGET,
        "Opplæringsbudsjett Helse og mestring",
        MeasureStatus.IN_PROGRESS,
        0,
    ),
    _MeasureText(
        "Introduksjonsprogram for nyansatte sykepleiere",
        "Fadder de første vaktene, HLR, demensomsorg og rutinene for legemiddelhåndtering innen "
        "tre måneder. Følges opp i opplæringsplanen «Opplæring nye sykepleiere».",
        MeasureKind.DEVELOPMENT,
        "Enhetslederne i sykehjemmene",
        40_000,
        FundingSource.BUDGET,
        "Driftsbudsjett sykehjemmene",
        MeasureStatus.IN_PROGRESS,
        3,
    ),
    _MeasureText(
        "Rekrutteringspakke for sykepleiere",
        "Stipend til sykepleierstudenter som binder seg for to år, sommerjobb i sykehjemmene og "
        "fast stilling i hel stilling etter endt utdanning.",
        MeasureKind.RECRUITMENT,
        "HR, Organisasjon",
        350_000,
        FundingSource.BUDGET,
        "Sentral lønnsreserve, rekruttering",
        MeasureStatus.PLANNED,
        3,
    ),
)

UNIT_SUMMARY = (
    "{unit} har mange beboere med demens og flere nyansatte sykepleiere. Vi vil bruke det "
    "erfarne kolleger kan, gi de nye en trygg start og ha riktig kompetanse på alle vakter."
)
UNIT_GOALS = (
    (
        _GoalText(
            "Alle pleiere på {unit} har gyldig HLR",
            "Også vikarer og ansatte i små stillinger.",
            "HLR",
            TargetKind.COVERAGE,
            100,
        ),
        0,
    ),
    (
        _GoalText(
            "Tre sykepleiere med demensomsorg på nivå 3",
            "Én på hver vakt i langtidsavdelingen.",
            "DEMENS",
            TargetKind.PEOPLE,
            3,
            level=3,
        ),
        2,
    ),
    (
        _GoalText(
            "Alle sykepleiere kan NEWS2",
            "Tidlig oppdagelse av forverret tilstand, innen tre måneder etter ansettelse.",
            "NEWS2",
            TargetKind.PEOPLE,
            8,
        ),
        None,
    ),
)
UNIT_MEASURES = (
    _MeasureText(
        "Demensressurs på kveldsvakt",
        "Sykepleier med videreutdanning i demens veileder kolleger på kveldsvakt én gang i uka.",
        MeasureKind.MOBILISATION,
        "Avdelingsleder, langtidsavdelingen",
        0,
        FundingSource.BUDGET,
        "Innenfor turnus",
        MeasureStatus.PLANNED,
        1,
    ),
    _MeasureText(
        "Opplæring nye sykepleiere",
        "Introduksjonsprogrammet: fadder, HLR og demensomsorg de første månedene.",
        MeasureKind.DEVELOPMENT,
        "Enhetsleder",
        15_000,
        FundingSource.BUDGET,
        "Enhetens opplæringsbudsjett",
        MeasureStatus.IN_PROGRESS,
        2,
    ),
    _MeasureText(
        "Sommerjobb for sykepleierstudenter",
        "Seks studenter i sommer, med tilbud om fast stilling etter endt utdanning.",
        MeasureKind.RECRUITMENT,
        "Enhetsleder og HR",
        90_000,
        FundingSource.BUDGET,
        "Enhetens vikarbudsjett",
        MeasureStatus.PLANNED,
        None,
    ),
)
UNION_COMMENTS = (
    (
        1,
        "Vi støtter målet, men ber om at sykepleiere som tar videreutdanning får permisjon med "
        "lønn på samlingsdagene, og at vikarutgiftene dekkes, slik at det ikke går ut over "
        "kollegene i turnus.",
    ),
    (
        None,
        "Planen bør si hvordan deltidsansatte får like muligheter til opplæring. Mange "
        "helsefagarbeidere i små stillinger melder at de ikke får tid til e-læring i "
        "arbeidstiden.",
    ),
    (
        None,
        "Vi ber om at sommerjobbene og rekrutteringen drøftes i det årlige møtet med de "
        "tillitsvalgte i september, sammen med bemanningsplanen for neste år.",
    ),
)
MEETING_MINUTES = (
    "Planen ble drøftet med Fagforbundet, NSF og Delta. Partene er enige om målene. "
    "Tillitsvalgte ba om at videreutdanning gis med permisjon med lønn; dette er tatt inn i "
    "tiltaket. Protokoll arkivert i saken."
)

CYCLE = (
    (
        ActivityKind.CONVERSATIONS,
        "Medarbeidersamtaler",
        "Alle ansatte har samtale med nærmeste leder. Kompetanse og ønsker om opplæring er et "
        "fast punkt; det dere avtaler, føres inn i opplæringsplanen.",
        2,
        None,
        28,
        14,
    ),
    (
        ActivityKind.MAPPING,
        "Kompetansekartlegging",
        "Ansatte oppdaterer kursbevis og utdanning under Min kompetanse før planarbeidet.",
        3,
        1,
        21,
        7,
    ),
    (
        ActivityKind.UNION_MEETING,
        "Årlig møte med tillitsvalgte om rekruttering og framtidig kompetansebehov",
        "Gjennomgang av bemanning, turnover og rekrutteringstiltak, og hva enheten trenger de "
        "neste årene.",
        9,
        20,
        1,
        14,
    ),
    (
        ActivityKind.SURVEY,
        "Medarbeiderundersøkelsen",
        "Kommunens medarbeiderundersøkelse. Resultatene gås gjennom på personalmøtet i november.",
        10,
        1,
        21,
        7,
    ),
    (
        ActivityKind.PLAN_EVALUATION,
        "Evaluering av kompetanseplanen",
        "Gå gjennom målene: nådd, delvis nådd eller ikke nådd, og hva som må bli bedre neste år.",
        11,
        15,
        1,
        21,
    ),
)

NEW_NURSES = "Opplæring nye sykepleiere"
NEW_NURSES_TEXT = (
    "Introduksjonsprogrammet for sykepleiere som begynner hos oss: trygg start med fadder, "
    "oppdatert HLR og grunnleggende demensomsorg de første månedene."
)
YEARLY = "Årlig obligatorisk opplæring {year}"
YEARLY_TEXT = "Det alle ansatte på enheten skal ha gjennomført i løpet av året."


def clear_plans_data() -> None:
    """Delete every plan, learning plan (with its assignments), group and sent notice: they
    belong to the units and people being deleted."""
    Assignment.objects.all().delete()
    LearningPlan.objects.all().delete()
    PeopleGroup.objects.all().delete()
    CompetencePlan.objects.update(parent=None, copied_from=None)
    CompetencePlan.objects.all().delete()
    CycleActivity.objects.all().delete()
    Notice.objects.all().delete()


def build_plans(today: datetime.date) -> PlansSummary:
    """Add the plans to the demo organisation in the database; nothing without the demo's
    leader, HR and union representative logins."""
    users = {user.username: user for user in User.objects.filter(username__in=_LOGINS)}
    if set(users) != set(_LOGINS) or users["leder"].person_id is None:
        return PlansSummary(0, 0, 0)
    hr, leader, union = users["hr"], users["leder"], users["tillitsvalgt"]
    home = OrgUnit.objects.filter(leaders=leader.person_id).order_by("code").first()
    area = OrgUnit.objects.get(pk=home.parent_id)
    competences = dict(Competence.objects.values_list("code", "pk"))
    start = datetime.date(today.year, 1, 1)
    end = datetime.date(today.year + 1, 12, 31)

    area_plan = _area_plan(hr, union, area, competences, start, end, today)
    unit_plan = _unit_plan(leader, union, home, area_plan, competences, start, end, today)
    _cycle(home, leader)
    measure = area_plan.measures.get(title=AREA_MEASURES[3].title)
    new_nurses = _new_nurses_plan(leader, home, measure, competences, today)
    yearly = _yearly_plan(leader, home, today)
    return PlansSummary(
        len([area_plan, unit_plan]),
        len([new_nurses, yearly]),
        Assignment.objects.filter(plan__in=[new_nurses, yearly]).count(),
    )


_LOGINS = ("hr", "leder", "tillitsvalgt")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _add_goals(plan, texts, competences, end, unit_name="") -> list[Goal]:
    return [
        Goal.objects.create(
            plan=plan,
            position=position,
            title=text.title.format(unit=unit_name),
            description=text.description,
            competence_id=competences.get(text.code),
            level=text.level,
            target_kind=text.kind,
            target_value=Decimal(text.value),
            target_date=end,
        )
        for position, text in enumerate(texts, 1)
    ]


def _add_measures(plan, texts, goals, start, end) -> None:
    Measure.objects.bulk_create(
        Measure(
            plan=plan,
            goal=goals[text.goal] if text.goal is not None else None,
            position=position,
            title=text.title,
            description=text.description,
            kind=text.kind,
            owner=text.owner,
            cost=Decimal(text.cost),
            funding=text.funding,
            funding_note=text.funding_note,
            starts_on=start,
            ends_on=end,
            status=text.status,
        )
        for position, text in enumerate(texts, 1)
    )


def _area_plan(hr, union, area, competences, start, end, today) -> CompetencePlan:
    """Drafted by HR, consulted in January, adopted by the council in February."""
    visibility = visibility_for(hr)
    plan = workflow.create_plan(
        visibility,
        hr,
        CompetencePlan(
            unit=area,
            title=f"Kompetanseplan for {area.name} {start.year}–{end.year}",
            period_start=start,
            period_end=end,
            summary=AREA_SUMMARY,
        ),
    )
    goals = _add_goals(plan, AREA_GOALS, competences, end)
    _add_measures(plan, AREA_MEASURES, goals, start, end)
    consultation = workflow.send_to_consultation(visibility, hr, plan)
    plan.refresh_from_db()
    workflow.add_comment(
        visibility_for(union),
        union,
        plan,
        "Vi er enige i målene. Husk at deltidsansatte også må få tid til opplæringen.",
    )
    meeting = min(datetime.date(start.year, 1, 25), today)
    workflow.record_meeting(visibility, plan, meeting, MEETING_MINUTES)
    revision = workflow.adopt(visibility, hr, plan, "Kommunestyret")
    adopted = _at(min(datetime.date(start.year, 2, 14), today), 12)
    CompetencePlan.objects.filter(pk=plan.pk).update(adopted_at=adopted)
    PlanRevision.objects.filter(pk=revision.pk).update(adopted_at=adopted)
    type(consultation).objects.filter(pk=consultation.pk).update(
        opened_at=_at(min(datetime.date(start.year, 1, 10), today), 9), closed_at=adopted
    )
    PlanComment.objects.filter(consultation=consultation).update(
        created_at=_at(min(datetime.date(start.year, 1, 18), today), 14)
    )
    plan.refresh_from_db()
    return plan


def _unit_plan(leader, union, home, area_plan, competences, start, end, today):
    """Drafted by the leader, now in consultation: the meeting is set, the comments are in."""
    visibility = visibility_for(leader)
    plan = workflow.create_plan(
        visibility,
        leader,
        CompetencePlan(
            unit=home,
            title=f"Kompetanseplan for {home.name} {start.year}–{end.year}",
            period_start=start,
            period_end=end,
            summary=UNIT_SUMMARY.format(unit=home.name),
            parent=area_plan,
        ),
    )
    area_goals = list(area_plan.goals.order_by("position"))
    goals = _add_goals(plan, [text for text, _ in UNIT_GOALS], competences, end, home.name)
    for goal, (_, serves) in zip(goals, UNIT_GOALS, strict=True):
        if serves is not None:
            goal.serves.add(area_goals[serves])
    _add_measures(plan, UNIT_MEASURES, goals, start, end)
    consultation = workflow.send_to_consultation(visibility, leader, plan)
    plan.refresh_from_db()
    union_visibility = visibility_for(union)
    for days_ago, (goal, body) in zip((9, 6, 2), UNION_COMMENTS, strict=True):
        comment = workflow.add_comment(
            union_visibility, union, plan, body, goals[goal] if goal is not None else None
        )
        PlanComment.objects.filter(pk=comment.pk).update(
            created_at=_at(today - datetime.timedelta(days=days_ago), 10)
        )
    workflow.record_meeting(visibility, plan, today + datetime.timedelta(days=8), "")
    type(consultation).objects.filter(pk=consultation.pk).update(
        opened_at=_at(today - datetime.timedelta(days=14), 8)
    )
    return plan


def _cycle(home, leader) -> None:
    CycleActivity.objects.bulk_create(
        CycleActivity(
            unit=home,
            kind=kind,
            title=title,
            description=description,
            month=month,
            day=day,
            duration_days=duration,
            remind_days_before=remind,
            responsible=leader,
        )
        for kind, title, description, month, day, duration, remind in CYCLE
    )


def _new_nurses_plan(leader, home, measure, competences, today) -> LearningPlan:
    """Assigned to the nurses of the nursing home some weeks ago. The engine finds the HLR
    courses and the dementia care the nurses have done, and a registration waiting for the
    leader's verification in progress; the leader has ticked off the introduction for the
    experienced nurses."""
    plan = LearningPlan.objects.create(
        title=NEW_NURSES,
        description=NEW_NURSES_TEXT,
        unit=home,
        measure=measure,
        created_by=leader,
    )
    course = Course.objects.filter(code="HLR-KURS").first()
    items = [
        LearningPlanItem(
            plan=plan,
            position=1,
            kind=ItemKind.TASK,
            title="Gå tre vakter sammen med fadder",
            description="Fadderen viser rutiner, beboere og pårørende. Lederen krysser av.",
            due_kind=DueKind.AFTER_ASSIGNMENT,
            due_days=14,
        ),
        LearningPlanItem(
            plan=plan,
            position=2,
            kind=ItemKind.COURSE if course else ItemKind.TASK,
            course=course,
            title="" if course else "HLR med hjertestarter",
            description="Meld deg på første ledige kursdag på helsehuset.",
            due_kind=DueKind.AFTER_ASSIGNMENT,
            due_days=30,
        ),
        LearningPlanItem(
            plan=plan,
            position=3,
            kind=ItemKind.COMPETENCE,
            competence_id=competences["DEMENS"],
            level=2,
            description="Demensomsorgens ABC eller kurs på helsehuset, og veiledning fra "
            "demensressursen. Registrer kursbeviset under Min kompetanse.",
            due_kind=DueKind.AFTER_ASSIGNMENT,
            due_days=120,
        ),
        LearningPlanItem(
            plan=plan,
            position=4,
            kind=ItemKind.TASK,
            title="Gjennomgå rutinene for legemiddelhåndtering og avviksmelding",
            due_kind=DueKind.AFTER_ASSIGNMENT,
            due_days=30,
        ),
    ]
    LearningPlanItem.objects.bulk_create(items)
    PlanTarget.objects.create(
        plan=plan,
        kind=AssignmentTargetKind.ROLE_IN_UNIT,
        unit=home,
        job_role=JobRole.objects.get(name=NURSE),
        assigned_by=leader,
    )
    assignments.update(plan, today)
    # The plan was given some weeks ago: its first items are due, dementia care not yet.
    assigned = today - datetime.timedelta(days=NEW_NURSES_ASSIGNED_DAYS)
    plan.assignments.update(assigned_on=assigned)
    plan.targets.update(assigned_at=_at(assigned, 9))
    hired = _hired(plan, today)
    experienced = [p for p in hired if (today - hired[p]).days > EXPERIENCED_DAYS]
    tasks = Assignment.objects.filter(
        plan=plan, item__kind=ItemKind.TASK, person__in=experienced
    ).select_related("item")
    for assignment in tasks:
        assignments.mark_done(assignment, leader, assigned + datetime.timedelta(days=5))
    assignments.update(plan, today)
    return plan


def _hired(plan, today) -> dict[Person, datetime.date]:
    """When each person of the plan began in their current positions."""
    hired: dict[Person, datetime.date] = {}
    for employment in (
        Employment.objects.active_on(today)
        .filter(person__in=plan.assignments.values("person_id"))
        .select_related("person")
    ):
        person, day = employment.person, employment.start_date
        hired[person] = min(day, hired.get(person, day))
    return hired


def _yearly_plan(leader, home, today) -> LearningPlan:
    """Everyone in the nursing home: the data protection e-learning and CPR by the end of the
    year, and the fire drill, past its date; about half of the staff did the fire drill."""
    plan = LearningPlan.objects.create(
        title=YEARLY.format(year=today.year),
        description=YEARLY_TEXT,
        unit=home,
        created_by=leader,
    )
    year_end = datetime.date(today.year, 12, 31)
    fire_drill = max(today - datetime.timedelta(days=10), datetime.date(today.year, 1, 31))
    courses = {course.code: course for course in Course.objects.filter(code__in=_YEARLY_COURSES)}
    items = [
        LearningPlanItem(
            plan=plan,
            position=position,
            kind=ItemKind.COURSE,
            course=courses[code],
            description=description,
            due_kind=DueKind.DATE,
            due_on=year_end,
        )
        for position, (code, description) in enumerate(_YEARLY_COURSES.items(), 1)
        if code in courses
    ]
    items.append(
        LearningPlanItem(
            plan=plan,
            position=len(items) + 1,
            kind=ItemKind.TASK,
            title="Brannvernopplæring og gjennomgang av rømningsveier",
            description="Årlig brannøvelse på enheten. Lederen krysser av for dem som deltok.",
            due_kind=DueKind.DATE,
            due_on=fire_drill,
        )
    )
    LearningPlanItem.objects.bulk_create(items)
    PlanTarget.objects.create(
        plan=plan, kind=AssignmentTargetKind.UNIT, unit=home, assigned_by=leader
    )
    assignments.update(plan, today)
    drill = Assignment.objects.filter(plan=plan, item__kind=ItemKind.TASK).order_by(
        "person__employee_number"
    )
    employee = User.objects.filter(username="ansatt").values_list("person_id", flat=True).first()
    for index, assignment in enumerate(drill.select_related("item")):
        if index % 2 == 0 and assignment.person_id != employee:
            assignments.mark_done(assignment, leader, fire_drill)
    return plan


_YEARLY_COURSES = {
    "PERSONVERN": "E-læring på nett, også på mobilen, med en kort test til slutt.",
    "HLR-KURS": "Årlig repetisjon på helsehuset. Har du gyldig HLR, er punktet allerede gjort.",
}
