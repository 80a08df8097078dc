"""What every detector hands the flag store: a candidate flag, before it is stored and reviewed.

A detector never writes to the database and never reads synthetic ground truth: it turns the registry's
frames (`jaga.flags.frames`) into candidates, and the runner stores them (`jaga.flags.store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUBJECT_TYPES = frozenset(
    {
        "person",
        "birth",
        "facility",
        "attendant",
        "official",
        "institution",
        "adoption_case",
        "relinquishment",
        "placement",
        "missing_report",
        "network",
    }
)


@dataclass(frozen=True)
class Candidate:
    """One suspicious pattern about one subject, with the evidence an investigator needs.

    `kind` and `subject_type`/`subject_ref` identify the flag across runs: the same kind found again on
    the same subject is the same flag (its review status is kept, its evidence refreshed).
    """

    kind: str  # stable machine name, e.g. "nik_mismatch", "facility_relinquishment_rate"
    subject_type: str  # one of SUBJECT_TYPES
    subject_ref: str  # the registry ref of the subject (network: a stable id such as "ring-<hash>")
    score: float  # 0..1, higher = more suspicious; used to rank across kinds
    evidence: dict[str, Any]  # JSON-able: figures, test results, effect sizes; no personal free text
    explanation_id: str  # Bahasa Indonesia, precise, figures included
    explanation_en: str  # English, same content
    records: tuple[str, ...] = ()  # refs of the records involved (births, cases, people ...)
    region_code: str = ""  # region of the subject, for region-scoped reading

    def __post_init__(self) -> None:
        if self.subject_type not in SUBJECT_TYPES:
            raise ValueError(f"unknown subject type {self.subject_type!r}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} of {self.kind!r} is outside 0..1")
        if not self.kind or not self.subject_ref:
            raise ValueError("a candidate needs a kind and a subject ref")

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two candidates the same flag."""
        return (self.kind, self.subject_type, self.subject_ref)
