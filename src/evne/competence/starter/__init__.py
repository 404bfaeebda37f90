"""The starter catalog (startkatalog): competences Norwegian municipalities commonly track, for a
new installation to begin with and adjust.

`catalog.csv` is in the format of `evne import catalog`, so loading it is an ordinary import
(traced as a batch) and a municipality can export, edit and import it again. Loading it again
adds only what is missing and never undoes the municipality's own edits. Its scaled
competences use the standard scale, which is created here first.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.db import transaction

from evne.competence.models import Competence, ProficiencyScale, ScaleLevel
from evne.core.freshness import data_changed
from evne.core.imports.pipeline import apply_import
from evne.core.models import ImportBatch

CATALOG_FILE = Path(__file__).with_name("catalog.csv")
STANDARD_SCALE = ("Ferdighetsnivå 1–4", "Proficiency 1–4")
STANDARD_LEVELS = [
    (1, "Grunnleggende", "Basic"),
    (2, "Selvstendig", "Independent"),
    (3, "Avansert", "Advanced"),
    (4, "Ekspert", "Expert"),
]


def load_starter(user=None) -> ImportBatch:
    """Create the standard scale if missing and import the starter competences Evne does not
    have yet. Competences already there are left as they are, edited or not, so a second load
    changes nothing (its batch counts no changes)."""
    with transaction.atomic():
        standard_scale()
        data = missing_rows()
        if data is None:
            return ImportBatch.objects.create(
                kind="catalog",
                created_by=user,
                filename=CATALOG_FILE.name,
                counts={noun: {"create": 0} for noun in ("competences", "areas", "scales")},
            )
        return apply_import("catalog", data, CATALOG_FILE.name, user=user)


def missing_rows() -> bytes | None:
    """The starter file with only the rows whose codes Evne does not have; None if none."""
    existing = {code.casefold() for code in Competence.objects.values_list("code", flat=True)}
    header, *rows = csv.reader(io.StringIO(CATALOG_FILE.read_text("utf-8")), delimiter=";")
    missing = [row for row in rows if row[0].casefold() not in existing]
    if not missing:
        return None
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\n").writerows([header, *missing])
    return text.getvalue().encode("utf-8")


def standard_scale() -> ProficiencyScale:
    """The scale "Ferdighetsnivå 1–4", with whichever of its four levels are missing."""
    name, name_en = STANDARD_SCALE
    scale, _created = ProficiencyScale.objects.get_or_create(
        name=name, defaults={"name_en": name_en}
    )
    present = set(scale.levels.values_list("value", flat=True))
    if ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=scale, value=value, name=level_name, name_en=level_name_en)
        for value, level_name, level_name_en in STANDARD_LEVELS
        if value not in present
    ):
        data_changed()  # level names show on the coverage pages; bulk writes send no signals
    return scale
