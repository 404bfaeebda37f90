from evne.competence.models.catalog import (
    Competence,
    CompetenceArea,
    CompetenceKind,
    ProficiencyScale,
    ScaleLevel,
)
from evne.competence.models.records import CompetenceRecord, RecordSource, RecordStatus
from evne.competence.models.requirements import (
    Requirement,
    RequirementKind,
    StaffingMeasure,
    StaffingTarget,
)

__all__ = [
    "Competence",
    "CompetenceArea",
    "CompetenceKind",
    "CompetenceRecord",
    "ProficiencyScale",
    "RecordSource",
    "RecordStatus",
    "Requirement",
    "RequirementKind",
    "ScaleLevel",
    "StaffingMeasure",
    "StaffingTarget",
]
