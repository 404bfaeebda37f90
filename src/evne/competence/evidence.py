"""Evidence files (dokumentasjon): a PDF or a picture of a diploma or a course certificate.

A file is recognised by its first bytes, never by its name or the content type the browser
claims: a renamed HTML page or program must not be stored and later handed out as a "PDF".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Enough for every signature below, including the brand list of a HEIC file's first box.
HEAD_BYTES = 64


@dataclass(frozen=True)
class EvidenceType:
    content_type: str
    extension: str


PDF = EvidenceType("application/pdf", ".pdf")
JPEG = EvidenceType("image/jpeg", ".jpg")
PNG = EvidenceType("image/png", ".png")
WEBP = EvidenceType("image/webp", ".webp")
HEIC = EvidenceType("image/heic", ".heic")

# HEIC is an ISO media file ("ftyp" box) whose brands name HEVC-coded images; AVIF and video
# files share the box with other brands and are not accepted.
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
GENERIC_IMAGE_BRANDS = {b"mif1", b"msf1"}

ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,application/pdf,image/jpeg,image/png,image/webp"


def detect(head: bytes) -> EvidenceType | None:
    """The type of a file from its first bytes, or None when it is not an accepted type."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and _is_heic(head):
        return HEIC
    return None


def _is_heic(head: bytes) -> bool:
    box_size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in HEIC_BRANDS:
        return True
    return major in GENERIC_IMAGE_BRANDS and bool(compatible & HEIC_BRANDS)


def check_upload(upload) -> EvidenceType:
    """The type of an uploaded file, or ValidationError saying why it cannot be kept."""
    limit = settings.EVNE_EVIDENCE_MAX_BYTES
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    evidence_type = type_of(upload)
    if evidence_type is None:
        raise ValidationError(
            _(
                "The file is not a PDF or a picture (JPEG, PNG, WebP or HEIC). Save or scan the "
                "document as a PDF or take a photo of it."
            ),
            code="wrong_type",
        )
    return evidence_type


def type_of(handle) -> EvidenceType | None:
    """The type of an open file (an upload, or a kept file when it is downloaded), read from its
    content; the file is left at its start."""
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    return detect(head)
