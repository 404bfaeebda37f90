"""Course certificates (kursbevis): the verification code and the PDF.

The code is what a person shows an employer who wants to check a certificate: twelve characters
from an alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B), printed in groups of four,
drawn from the operating system's randomness. Twelve characters of 25 give about 55 bits: a code
cannot be guessed, and the public page never says more than whether a code exists.
"""

from __future__ import annotations

import io
import secrets

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from evne.learning.models import Certificate, Completion

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 12
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """A code as stored, from what someone typed: case, spaces and dashes do not matter."""
    return "".join(typed.split()).replace("-", "").upper()[: CODE_LENGTH * 2]


def display_code(code: str) -> str:
    """The code in groups of four, as printed: ACDE-FGHJ-KMNP."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def issue_certificate(completion: Completion, *, user=None) -> Certificate:
    """The completion's certificate, issued now with a fresh code unless it already has one."""
    existing = Certificate.objects.filter(completion=completion).first()
    if existing is not None:
        return existing
    while True:
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    completion=completion, code=new_code(), issued_by=user
                )
        except IntegrityError:
            # A taken code (vanishingly rare) or a certificate issued meanwhile: look again.
            existing = Certificate.objects.filter(completion=completion).first()
            if existing is not None:
                return existing


def certificate_pdf(certificate: Certificate, verify_url: str, *, compress: bool = True) -> bytes:
    """The certificate as an A4 PDF: name, course, date, hours, the competences granted, the
    code and where to verify it. Texts in the active language."""
    completion = certificate.completion
    course = completion.course
    records = completion.records.select_related("competence").order_by("competence__name")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1 if compress else 0)
    title = _("Course certificate")
    pdf.setTitle(f"{title} – {course.display_name}")
    width, height = A4
    left = 25 * mm
    y = height - 40 * mm

    def line(text, font="Helvetica", size=12, gap=8 * mm):
        nonlocal y
        pdf.setFont(font, size)
        pdf.drawString(left, y, text)
        y -= gap

    line(title, "Helvetica-Bold", 26, 18 * mm)
    line(_("This is to certify that"), size=12)
    line(completion.person.full_name, "Helvetica-Bold", 20, 12 * mm)
    line(_("has completed the course"), size=12)
    line(course.display_name, "Helvetica-Bold", 16, 12 * mm)
    line(
        _("Completed: %(date)s")
        % {"date": formats.date_format(completion.completed_on, "SHORT_DATE_FORMAT")}
    )
    if course.hours:
        line(_("Hours: %(hours)s") % {"hours": formats.localize(course.hours)})
    if completion.result:
        line(_("Result: %(result)s") % {"result": completion.result})
    if records:
        y -= 4 * mm
        line(_("Competences granted"), "Helvetica-Bold", 12, 7 * mm)
        for record in records:
            text = f"• {record.competence.display_name}"
            if record.expires_on:
                text += " " + _("(valid until %(date)s)") % {
                    "date": formats.date_format(record.expires_on, "SHORT_DATE_FORMAT")
                }
            line(text, size=11, gap=6 * mm)
    y = 45 * mm
    line(_("Verification code"), "Helvetica-Bold", 11, 7 * mm)
    line(display_code(certificate.code), "Courier-Bold", 16, 8 * mm)
    line(_("Anyone can confirm this certificate at:"), size=10, gap=5 * mm)
    line(verify_url, size=10)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
