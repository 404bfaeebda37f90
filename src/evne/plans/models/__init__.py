from evne.plans.models.competence_plans import (
    CompetencePlan,
    Consultation,
    FundingSource,
    Goal,
    GoalResult,
    Measure,
    MeasureKind,
    MeasureStatus,
    PlanComment,
    PlanRevision,
    PlanStatus,
    TargetKind,
)
from evne.plans.models.cycle import ActivityKind, CycleActivity
from evne.plans.models.learning_plans import (
    Assignment,
    AssignmentStatus,
    DueKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    PeopleGroup,
    PlanTarget,
)
from evne.plans.models.learning_plans import TargetKind as AssignmentTargetKind
from evne.plans.models.notifications import Notice

__all__ = [
    "ActivityKind",
    "Assignment",
    "AssignmentStatus",
    "AssignmentTargetKind",
    "CompetencePlan",
    "Consultation",
    "CycleActivity",
    "DueKind",
    "FundingSource",
    "Goal",
    "GoalResult",
    "ItemKind",
    "LearningPlan",
    "LearningPlanItem",
    "Measure",
    "MeasureKind",
    "MeasureStatus",
    "Notice",
    "PeopleGroup",
    "PlanComment",
    "PlanRevision",
    "PlanStatus",
    "PlanTarget",
    "TargetKind",
]
