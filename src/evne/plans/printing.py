"""The printable plan (utskrift) as an A4 PDF for the municipal council and the union meeting:
title, unit, period, status and adoption, goals with their progress, measures with cost and
funding, and the consultation (meeting, minutes, comments). It takes the same content as the
plan page (`views.competence_plans.plan_content`), so both always agree. Texts in the active
language."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _date(value) -> str:
    if value is None:
        return "–"
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _number(value) -> str:
    return (
        "–" if value is None else formats.number_format(value, use_l10n=True, force_grouping=True)
    )


def _author(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def progress_text(progress) -> str:
    """A goal's progress in words: "72,0 % of 90,0 % by 31.12.2027"."""
    goal = progress.goal
    if progress.suppressed:
        return _("Hidden: fewer than 5 people")
    if progress.now is None:
        return "–"
    unit = " %" if progress.is_percentage else ""
    now = f"{_number(progress.now)}{unit}"
    if goal.target_value is None:
        return now
    target = f"{_number(goal.target_value)}{unit}"
    if goal.target_date:
        return _("%(now)s of %(target)s by %(date)s") % {
            "now": now,
            "target": target,
            "date": _date(goal.target_date),
        }
    return _("%(now)s of %(target)s") % {"now": now, "target": target}


def plan_pdf(content: dict) -> bytes:
    plan = content["plan"]
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)

    def text(value, style=body):
        return Paragraph(escape(str(value or "")).replace("\n", "<br/>"), style)

    def table(rows, widths):
        grid = Table(rows, colWidths=widths, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.grey),
                ]
            )
        )
        return grid

    story = [
        Paragraph(escape(plan.title), styles["Title"]),
        text(
            _("%(unit)s · %(start)s–%(end)s · %(status)s")
            % {
                "unit": plan.unit.name,
                "start": _date(plan.period_start),
                "end": _date(plan.period_end),
                "status": plan.get_status_display(),
            }
        ),
    ]
    if plan.adopted_at:
        story.append(
            text(
                _("Adopted %(date)s by %(body)s (revision %(number)s)")
                % {
                    "date": _date(plan.adopted_at),
                    "body": plan.adopted_by_body or "–",
                    "number": plan.revision,
                }
            )
        )
    if plan.summary:
        story += [Spacer(0, 3 * mm), text(plan.summary)]

    story.append(Paragraph(escape(_("Goals")), styles["Heading2"]))
    rows = [[text(_("Goal"), small), text(_("Competence"), small), text(_("Progress"), small)]]
    for goal, progress in content["goals"]:
        rows.append(
            [
                text(goal.title, small),
                text(goal.competence.display_name if goal.competence else "–", small),
                text(progress_text(progress), small),
            ]
        )
    story.append(table(rows, [80 * mm, 45 * mm, 45 * mm]))

    story.append(Paragraph(escape(_("Measures")), styles["Heading2"]))
    rows = [
        [
            text(header, small)
            for header in (_("Measure"), _("Kind"), _("Responsible"), _("Cost (NOK)"))
            + (_("Funding"), _("Period"), _("Status"))
        ]
    ]
    for measure in content["measures"]:
        rows.append(
            [
                text(measure.title, small),
                text(measure.get_kind_display(), small),
                text(measure.owner or "–", small),
                text(_number(measure.cost), small),
                text(
                    " ".join(filter(None, [measure.get_funding_display(), measure.funding_note]))
                    or "–",
                    small,
                ),
                text(f"{_date(measure.starts_on)}–{_date(measure.ends_on)}", small),
                text(measure.get_status_display(), small),
            ]
        )
    story.append(table(rows, [42 * mm, 20 * mm, 24 * mm, 18 * mm, 24 * mm, 26 * mm, 16 * mm]))
    for label, total in content["costs"]:
        story.append(text(f"{label}: {_number(total)}"))
    story.append(text(_("Total cost: NOK %(total)s") % {"total": _number(content["total_cost"])}))

    story.append(Paragraph(escape(_("Consultation")), styles["Heading2"]))
    if not content["consultations"]:
        story.append(text(_("The plan has not been in consultation.")))
    for consultation in content["consultations"]:
        story.append(
            text(
                _("Opened %(opened)s · meeting %(meeting)s")
                % {
                    "opened": _date(consultation.opened_at),
                    "meeting": _date(consultation.meeting_on),
                }
            )
        )
        if consultation.minutes:
            story += [
                Paragraph(escape(_("Minutes")), styles["Heading4"]),
                text(consultation.minutes),
            ]
        for comment in consultation.comments.all():
            author = (
                comment.author.get_full_name() or comment.author.username if comment.author else ""
            )
            story.append(text(f"{author}, {_date(comment.created_at)}: {comment.body}", small))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=plan.title,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story)
    return buffer.getvalue()
