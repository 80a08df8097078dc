"""The registry's tables."""

from jaga.registry.models.adoption import AdoptionCase, AdoptionStep, StepApproval
from jaga.registry.models.births import LATE_REGISTRATION_DAYS, Birth
from jaga.registry.models.care import Placement, Relinquishment
from jaga.registry.models.common import IdType, RecordColumns
from jaga.registry.models.missing import MissingReport
from jaga.registry.models.people import Person, phone_digits
from jaga.registry.models.reference import Attendant, Facility, Institution, Official

__all__ = [
    "LATE_REGISTRATION_DAYS",
    "AdoptionCase",
    "AdoptionStep",
    "Attendant",
    "Birth",
    "Facility",
    "IdType",
    "Institution",
    "MissingReport",
    "Official",
    "Person",
    "Placement",
    "RecordColumns",
    "Relinquishment",
    "StepApproval",
    "phone_digits",
]
