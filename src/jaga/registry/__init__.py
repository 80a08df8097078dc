"""The registry: people, births, facilities, attendants, officials, institutions, relinquishments,
placements, adoption cases with their legal workflow, and missing-child reports.

Other packages import the registry's public names from here (`from jaga.registry import Birth`), never
from its modules: `__all__` below is the contract, and import-linter refuses a deep import from outside.
The core (models, schemas, services, workflow) knows nothing of HTTP or the command line; `api` and `cli`
are the adapters and are not imported here.
"""

from jaga.registry.adoption.deadlines import PERIODS, DueKind, Period, Waiting, waiting_steps
from jaga.registry.adoption.services import RecordedStep, case_steps, decide_step, history_of, take_step
from jaga.registry.adoption.waiting import WaitingCount, WaitingStep, count_waiting, list_waiting
from jaga.registry.adoption.workflow import (
    FOUR_EYES,
    RULES,
    TEMPORARY_CARE_MONTHS,
    ApprovalState,
    CaseKind,
    CaseStatus,
    ChecklistItem,
    Document,
    Outcome,
    Step,
    StepRequest,
    TakenStep,
    add_months,
    check_step,
    checklist,
    sequence,
    status_after,
)
from jaga.registry.importers import FileFormat, ImportSummary, detect_format, export_records, run_import
from jaga.registry.kinds import KINDS, READS, Kind
from jaga.registry.models import (
    LATE_REGISTRATION_DAYS,
    AdoptionCase,
    AdoptionStep,
    Attendant,
    Birth,
    Facility,
    IdType,
    Institution,
    MissingReport,
    Official,
    Person,
    Placement,
    RecordColumns,
    Relinquishment,
    StepApproval,
    phone_digits,
)
from jaga.registry.record_warnings import EARLY_RELINQUISHMENT_DAYS, WITNESSES_EXPECTED
from jaga.registry.schemas.adoption import AdoptionStepIn
from jaga.registry.schemas.reference import LicenceChangeIn
from jaga.registry.schemas.types import FROM_FILE, REF_PATTERN, InputModel
from jaga.registry.services import Batch, BatchOutcome, raise_first, write_one
from jaga.registry.services.batch import RowProblem, new_ref
from jaga.registry.services.duplicates import Candidate, Facts, likely_duplicates
from jaga.registry.services.reads import AFTER_WRITE, Purpose, get_record
from jaga.registry.services.reference import change_licence
from jaga.registry.services.search import Found, search_records

__all__ = [
    "AFTER_WRITE",
    "EARLY_RELINQUISHMENT_DAYS",
    "FOUR_EYES",
    "FROM_FILE",
    "KINDS",
    "LATE_REGISTRATION_DAYS",
    "PERIODS",
    "READS",
    "REF_PATTERN",
    "RULES",
    "TEMPORARY_CARE_MONTHS",
    "WITNESSES_EXPECTED",
    "AdoptionCase",
    "AdoptionStep",
    "AdoptionStepIn",
    "ApprovalState",
    "Attendant",
    "Batch",
    "BatchOutcome",
    "Birth",
    "Candidate",
    "CaseKind",
    "CaseStatus",
    "ChecklistItem",
    "Document",
    "DueKind",
    "Facility",
    "Facts",
    "FileFormat",
    "Found",
    "IdType",
    "ImportSummary",
    "InputModel",
    "Institution",
    "Kind",
    "LicenceChangeIn",
    "MissingReport",
    "Official",
    "Outcome",
    "Period",
    "Person",
    "Placement",
    "Purpose",
    "RecordColumns",
    "RecordedStep",
    "Relinquishment",
    "RowProblem",
    "Step",
    "StepApproval",
    "StepRequest",
    "TakenStep",
    "Waiting",
    "WaitingCount",
    "WaitingStep",
    "add_months",
    "case_steps",
    "change_licence",
    "check_step",
    "checklist",
    "count_waiting",
    "decide_step",
    "detect_format",
    "export_records",
    "get_record",
    "history_of",
    "likely_duplicates",
    "list_waiting",
    "new_ref",
    "phone_digits",
    "raise_first",
    "run_import",
    "search_records",
    "sequence",
    "status_after",
    "take_step",
    "waiting_steps",
    "write_one",
]
