"""The starter catalog (startkatalog): competences Norwegian municipalities commonly track, for a
new installation to begin with and adjust.

`catalog.csv` is in the format of `evne import catalog`, so loading it is an ordinary import
(traced as a batch) and a municipality can export, edit and import it again. Its scaled
competences use the standard scale, which is created here first.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from evne.competence.models import ProficiencyScale, ScaleLevel
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
    """Create the standard scale if missing and import the starter catalog; a second load
    changes nothing (its batch counts no changes)."""
    with transaction.atomic():
        standard_scale()
        return apply_import("catalog", CATALOG_FILE.read_bytes(), CATALOG_FILE.name, user=user)


def standard_scale() -> ProficiencyScale:
    """The scale "Ferdighetsnivå 1–4", with whichever of its four levels are missing."""
    name, name_en = STANDARD_SCALE
    scale, _created = ProficiencyScale.objects.get_or_create(
        name=name, defaults={"name_en": name_en}
    )
    present = set(scale.levels.values_list("value", flat=True))
    ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=scale, value=value, name=level_name, name_en=level_name_en)
        for value, level_name, level_name_en in STANDARD_LEVELS
        if value not in present
    )
    return scale
