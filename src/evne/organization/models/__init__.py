from evne.organization.models.employments import Employment, EmploymentKind, JobRole
from evne.organization.models.people import EducationLevel, Gender, Person
from evne.organization.models.units import OrgLevel, OrgUnit

__all__ = [
    "EducationLevel",
    "Employment",
    "EmploymentKind",
    "Gender",
    "JobRole",
    "OrgLevel",
    "OrgUnit",
    "Person",
]
