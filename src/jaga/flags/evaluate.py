"""`jaga flags evaluate`: the stored flags judged against synthetic ground truth. The only module of
`jaga.flags` that reads `truth/` (the isolation check exempts it); detectors never import it.

An investigator reviews subjects, not flags: the flags of the latest run are grouped by subject (a
facility, a birth, a ring, ...), each subject ranked by its highest score, and the first `budget` subjects
are what a review team would look at. Against the truth folder of the synthetic data that was imported:

* a reviewed subject is a **hit** for a planted scheme if the subject is one of the scheme's members, or
  if at least half of the records its flags name are planted records, and at least a fifth are this
  scheme's (a midwife the generator did not list but who attended the ring's births is a hit for that
  ring; a registrar's ring of forged and falsified registrations is a hit for both schemes);
* **precision** is the share of reviewed subjects that hit some scheme;
* **recall per scheme type** is the share of planted schemes of that type hit by a reviewed subject;
* **whole rings**: a reviewed `network` flag covers a scheme if it names at least half of the scheme's
  case records (births, relinquishments, placements, adoption cases, missing reports);
* **look-alike false alarms**: flags (reviewed or not) whose subject is a benign look-alike, or rings
  whose central actors include one;
* **look-alikes reviewed**: reviewed subjects that are, or centre on, a benign look-alike;
* **buyer-registered babies named**: births registered to a buyer as the "mother" (role
  `falsified_birth`) whose record is a reviewed subject or among the records its flags name;
* **renamed missing children named**: missing children who reappear under another name, counted as
  named when a reviewed subject is, or names, their report, their police record or the record of their
  reappearance;
* **each flag kind**: the subjects carrying it, all and within the budget, and how many of them hit;
* **what tips add**: the same figures without the `tip_corroborates` flags. That stage only adds flags
  on subjects other detectors flagged (it changes no other flag), so removing its flags gives exactly
  the ranking of a run on the same registry without tips; `jaga bench flags-quality` checks it against
  a real run before the tips are sent.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.errors import InvalidInput, NotFound
from jaga.flags.models import Flag, FlagRun
from jaga.flags.rules.tips import KIND as TIP_KIND

CASE_FILES = (
    "births-facility.csv",
    "births-civil-registry.csv",
    "relinquishments.csv",
    "placements.csv",
    "adoption-cases.csv",
    "missing-reports.csv",
)
HIT_SHARE = 0.5
CREDIT_SHARE = 0.2  # of a hit's records, for a scheme to be credited with it
RING_COVERAGE = 0.5
# Schemes that run through several actors, so that a ring can be drawn (the others are single records).
RING_TYPES = ("clinic_ring", "fake_institution", "corrupt_registrar", "falsified_certificates")
# The records of a missing child who reappears renamed: naming any of them points the reviewer at the child.
MISSING_ROLES = ("missing_report", "missing_child", "reappeared_child", "reappeared_relinquishment")


@dataclass(frozen=True)
class Truth:
    schemes: dict[str, str]  # scheme id -> type
    members: dict[str, set[str]]  # scheme id -> every member ref
    case_records: dict[str, set[str]]  # scheme id -> member refs of case records
    lookalikes: dict[str, str]  # ref -> look-alike type
    rings: frozenset[str] = frozenset()  # scheme ids that run through several actors (a ring can be drawn)
    buyer_births: frozenset[str] = frozenset()  # births registered to a buyer as the "mother"
    missing: dict[str, frozenset[str]] = field(default_factory=dict)  # renamed missing child -> its refs

    def schemes_of(self, ref: str) -> set[str]:
        return self._by_ref.get(ref, set())

    @property
    def _by_ref(self) -> dict[str, set[str]]:
        cached: dict[str, set[str]] | None = getattr(self, "_index", None)
        if cached is None:
            cached = defaultdict(set)
            for scheme, refs in self.members.items():
                for ref in refs:
                    cached[ref].add(scheme)
            object.__setattr__(self, "_index", cached)
        return cached


@dataclass(frozen=True)
class StoredFlag:
    kind: str
    subject_type: str
    subject_ref: str
    score: float
    records: tuple[str, ...]
    evidence: dict[str, Any]


@dataclass
class Subject:
    subject_type: str
    subject_ref: str
    score: float
    kinds: list[str]
    records: set[str]
    central: set[str]  # for rings: the central actors' refs
    schemes: set[str] = field(default_factory=set)
    lookalike: str | None = None


@dataclass
class Evaluation:
    budget: int
    run_id: int
    flags: int
    subjects: int
    reviewed: list[Subject]
    by_type: dict[str, dict[str, Any]]  # scheme type -> planted, found, recall, rings covered
    precision: float
    recall: float  # planted schemes hit within the budget, all types
    ring_recall: float  # planted multi-actor schemes (RING_TYPES) covered by one reviewed network flag
    lookalike_flags: list[dict[str, Any]]  # every flag on a look-alike, reviewed or not
    lookalikes: int
    kinds: dict[str, dict[str, int]]  # per combination of flag kinds among reviewed subjects: subjects, hits
    per_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # each kind: subjects, hits, reviewed
    tips: dict[str, Any] = field(default_factory=dict)  # the same figures without tip_corroborates
    ranked: list[Subject] = field(default_factory=list, repr=False)  # every subject, best first
    lookalikes_reviewed: int = 0  # reviewed subjects that are (or centre on) a benign look-alike
    buyer_births: tuple[int, int] = (0, 0)  # buyer-registered babies named within the budget, of all
    renamed_missing: tuple[int, int] = (0, 0)  # renamed missing children named within the budget, of all

    def as_dict(self) -> dict[str, Any]:
        return {
            "budget": self.budget,
            "run_id": self.run_id,
            "flags": self.flags,
            "subjects": self.subjects,
            "precision": round(self.precision, 4),
            "scheme_recall": round(self.recall, 4),
            "ring_recall": round(self.ring_recall, 4),
            "by_scheme_type": self.by_type,
            "by_flag_kind": self.kinds,
            "per_flag_kind": self.per_kind,
            "tips": self.tips,
            "lookalikes": self.lookalikes,
            "lookalike_false_alarms": self.lookalike_flags,
            "lookalikes_reviewed": self.lookalikes_reviewed,
            "buyer_registered_named": list(self.buyer_births),
            "renamed_missing_named": list(self.renamed_missing),
            "reviewed": [
                {
                    "rank": rank,
                    "subject_type": s.subject_type,
                    "subject_ref": s.subject_ref,
                    "score": s.score,
                    "kinds": s.kinds,
                    "schemes": sorted(s.schemes),
                    "lookalike": s.lookalike,
                }
                for rank, s in enumerate(self.reviewed, start=1)
            ],
        }


def read_truth(folder: Path) -> Truth:
    """The planted schemes and look-alikes of a synthetic data folder (`folder` or `folder/truth`)."""
    truth = folder if (folder / "scheme_members.csv").exists() else folder / "truth"
    if not (truth / "scheme_members.csv").exists():
        raise InvalidInput(f"{folder} holds no synthetic ground truth (scheme_members.csv)")
    schemes = {row["scheme_id"]: row["type"] for row in _rows(truth / "schemes.csv")}
    members: dict[str, set[str]] = defaultdict(set)
    cases: dict[str, set[str]] = defaultdict(set)
    for row in _rows(truth / "scheme_members.csv"):
        members[row["scheme_id"]].add(row["ref"])
        if row["file"] in CASE_FILES and row["role"] != "falsified_child":  # that one is a person
            cases[row["scheme_id"]].add(row["ref"])
    lookalikes = {row["ref"]: row["type"] for row in _rows(truth / "lookalikes.csv")}
    # A generator may say which of its schemes are rings (`ring` column); otherwise the known ring types.
    rings = frozenset(
        row["scheme_id"]
        for row in _rows(truth / "schemes.csv")
        if (row["ring"] == "yes" if row.get("ring") else row["type"] in RING_TYPES)
    )
    buyer_births: set[str] = set()
    missing: dict[str, set[str]] = defaultdict(set)
    for row in _rows(truth / "scheme_members.csv"):
        if row["role"] == "falsified_birth":
            buyer_births.add(row["ref"])
        elif row["role"] in MISSING_ROLES:
            missing[row["scheme_id"]].add(row["ref"])
    return Truth(
        schemes,
        dict(members),
        dict(cases),
        lookalikes,
        rings,
        frozenset(buyer_births),
        {k: frozenset(v) for k, v in missing.items()},
    )


def read_tip_truth(folder: Path) -> list[dict[str, str]]:
    """What each row of the folder's `tips.csv` is about (`truth/tip_subjects.csv`), in row order."""
    truth = folder if (folder / "tip_subjects.csv").exists() else folder / "truth"
    if not (truth / "tip_subjects.csv").exists():
        raise InvalidInput(f"{folder} holds no synthetic tips' truth (tip_subjects.csv)")
    return sorted(_rows(truth / "tip_subjects.csv"), key=lambda row: int(row["row"]))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def latest_flags(session: Session) -> tuple[int, list[StoredFlag]]:
    """The flags found by the latest completed `jaga flags run`."""
    run_id = session.scalar(select(FlagRun.id).where(FlagRun.status == "done").order_by(FlagRun.id.desc()))
    if run_id is None:
        raise NotFound("no completed flag run: run `jaga flags run` first")
    rows = session.execute(
        select(Flag.kind, Flag.subject_type, Flag.subject_ref, Flag.score, Flag.records, Flag.evidence).where(
            Flag.last_run_id == run_id, Flag.present.is_(True)
        )
    ).all()
    return run_id, [
        StoredFlag(kind, subject_type, ref, score, tuple(json.loads(records)), json.loads(evidence))
        for kind, subject_type, ref, score, records, evidence in rows
    ]


def rank_subjects(flags: list[StoredFlag]) -> list[Subject]:
    """Subjects by their highest score (then by how many flags name them, then by ref: deterministic)."""
    subjects: dict[tuple[str, str], Subject] = {}
    for flag in flags:
        key = (flag.subject_type, flag.subject_ref)
        subject = subjects.get(key)
        if subject is None:
            subject = subjects[key] = Subject(
                flag.subject_type, flag.subject_ref, flag.score, [], set(), set()
            )
        subject.score = max(subject.score, flag.score)
        subject.kinds.append(flag.kind)
        if flag.kind != TIP_KIND:  # its records are its top flag's (counted there) and tips' refs, which
            subject.records.update(flag.records)  # no truth can judge: they would only dilute the share
        for actor in flag.evidence.get("central_actors", []) or []:
            if isinstance(actor, dict) and "node" in actor:
                subject.central.add(str(actor["node"]))
    return sorted(subjects.values(), key=lambda s: (-s.score, -len(s.kinds), s.subject_ref))


def evaluate(flags: list[StoredFlag], truth: Truth, *, budget: int = 50, run_id: int = 0) -> Evaluation:
    """Precision, recall per scheme type and whole rings at `budget`, look-alike false alarms, each flag
    kind, and the same without the tips' flags (`tips`)."""
    if budget < 1:
        raise InvalidInput("the review budget must be at least 1 subject")
    result = _evaluate(flags, truth, budget=budget, run_id=run_id)
    without = _evaluate([f for f in flags if f.kind != TIP_KIND], truth, budget=budget, run_id=run_id)
    result.tips = tip_effect(result, without, flags)
    return result


def tip_effect(with_tips: Evaluation, without: Evaluation, flags: list[StoredFlag]) -> dict[str, Any]:
    """What the `tip_corroborates` flags change: the headline figures without them, and where each
    subject they raise ranks with and without them."""
    rank_without = {(s.subject_type, s.subject_ref): i for i, s in enumerate(without.ranked, start=1)}
    # A raised subject always has other flags (a tip alone raises none), so it ranks without tips too.
    raised = [
        (rank, rank_without[(s.subject_type, s.subject_ref)], s)
        for rank, s in enumerate(with_tips.ranked, start=1)
        if TIP_KIND in s.kinds
    ]
    budget = with_tips.budget
    entered = [s for rank, before, s in raised if rank <= budget < before]
    moved = [
        {
            "subject_type": s.subject_type,
            "subject_ref": s.subject_ref,
            "rank_without": before,
            "rank_with": rank,
            "schemes": sorted(s.schemes),
            "lookalike": s.lookalike,
        }
        for rank, before, s in raised
    ]
    return {
        "tip_flags": sum(1 for f in flags if f.kind == TIP_KIND),
        "raised_subjects": len(moved),
        "raised_hits": sum(1 for m in moved if m["schemes"]),
        "entered_budget": len(entered),
        "entered_budget_hits": sum(1 for s in entered if s.schemes),
        "without_tips": {
            "precision": round(without.precision, 4),
            "scheme_recall": round(without.recall, 4),
            "ring_recall": round(without.ring_recall, 4),
        },
        "raised": moved,
    }


def _evaluate(flags: list[StoredFlag], truth: Truth, *, budget: int, run_id: int) -> Evaluation:
    ranked = rank_subjects(flags)
    for subject in ranked:
        subject.schemes = _hits(subject, truth)
        subject.lookalike = truth.lookalikes.get(subject.subject_ref) or next(
            (truth.lookalikes[ref] for ref in subject.central if ref in truth.lookalikes), None
        )
    reviewed = ranked[:budget]
    planted = {s for s in truth.schemes if truth.members.get(s)}
    found = {s for subject in reviewed for s in subject.schemes}
    covered = set()
    for subject in reviewed:
        if subject.subject_type != "network":
            continue
        for scheme in planted:
            records = truth.case_records.get(scheme, set())
            if records and len(records & subject.records) >= RING_COVERAGE * len(records):
                covered.add(scheme)
    by_type: dict[str, dict[str, Any]] = {}
    for scheme in sorted(planted):
        kind = truth.schemes[scheme]
        entry = by_type.setdefault(kind, {"planted": 0, "found": 0, "rings_covered": 0, "subjects": 0})
        entry["planted"] += 1
        entry["found"] += scheme in found
        entry["rings_covered"] += scheme in covered
    for subject in reviewed:
        for kind in {truth.schemes[s] for s in subject.schemes}:
            by_type[kind]["subjects"] += 1
    for entry in by_type.values():
        entry["recall"] = round(entry["found"] / entry["planted"], 4)
        entry["ring_recall"] = round(entry["rings_covered"] / entry["planted"], 4)
    kinds: dict[str, dict[str, int]] = {}
    for subject in reviewed:
        top = subject.kinds[0] if len(subject.kinds) == 1 else "+".join(sorted(set(subject.kinds)))
        entry_k = kinds.setdefault(top, {"subjects": 0, "hits": 0})
        entry_k["subjects"] += 1
        entry_k["hits"] += bool(subject.schemes)
    alarms = [
        {
            "kind": flag.kind,
            "subject_type": flag.subject_type,
            "subject_ref": flag.subject_ref,
            "score": flag.score,
            "lookalike": truth.lookalikes[flag.subject_ref],
        }
        for flag in flags
        if flag.subject_ref in truth.lookalikes
    ]
    alarms += [
        {
            "kind": "network_ring",
            "subject_type": "network",
            "subject_ref": s.subject_ref,
            "score": s.score,
            "lookalike": s.lookalike,
        }
        for s in ranked
        if s.subject_type == "network" and s.lookalike and not s.schemes
    ]
    per_kind: dict[str, dict[str, int]] = {}
    for rank, subject in enumerate(ranked, start=1):
        for kind in set(subject.kinds):
            entry_p = per_kind.setdefault(
                kind, dict.fromkeys(("subjects", "hits", "reviewed", "reviewed_hits"), 0)
            )
            entry_p["subjects"] += 1
            entry_p["hits"] += bool(subject.schemes)
            entry_p["reviewed"] += rank <= budget
            entry_p["reviewed_hits"] += rank <= budget and bool(subject.schemes)
    hits = sum(1 for s in reviewed if s.schemes)
    rings = {s for s in planted if s in truth.rings}
    named = {s.subject_ref for s in reviewed} | {r for s in reviewed for r in s.records}
    return Evaluation(
        budget=budget,
        run_id=run_id,
        flags=len(flags),
        subjects=len(ranked),
        reviewed=reviewed,
        by_type=by_type,
        precision=hits / len(reviewed) if reviewed else 0.0,
        recall=len(found & planted) / len(planted) if planted else 1.0,
        ring_recall=len(covered & rings) / len(rings) if rings else 1.0,
        lookalike_flags=alarms,
        lookalikes=len(truth.lookalikes),
        kinds=kinds,
        per_kind=dict(sorted(per_kind.items())),
        ranked=ranked,
        lookalikes_reviewed=sum(1 for s in reviewed if s.lookalike),
        buyer_births=(len(truth.buyer_births & named), len(truth.buyer_births)),
        renamed_missing=(sum(1 for refs in truth.missing.values() if refs & named), len(truth.missing)),
    )


def _hits(subject: Subject, truth: Truth) -> set[str]:
    schemes = set(truth.schemes_of(subject.subject_ref))
    if subject.records:
        counts: dict[str, int] = defaultdict(int)
        planted = 0
        for ref in subject.records:
            found = truth.schemes_of(ref)
            planted += bool(found)
            for scheme in found:
                counts[scheme] += 1
        if planted >= HIT_SHARE * len(subject.records):  # mostly planted records: credit their schemes
            schemes |= {s for s, c in counts.items() if c >= CREDIT_SHARE * len(subject.records)}
    return schemes


def evaluate_database(session: Session, truth_folder: Path, *, budget: int = 50) -> Evaluation:
    """The latest run's flags in this database against the truth folder of the imported data."""
    truth = read_truth(truth_folder)
    run_id, flags = latest_flags(session)
    return evaluate(flags, truth, budget=budget, run_id=run_id)


def summary_tables(evaluation: Evaluation) -> list[tuple[str, list[str], list[list[str]]]]:
    """The evaluation as (title, header, rows) tables, for the command line and benchmark reports."""
    e = evaluation
    rows = [
        [
            kind,
            str(v["planted"]),
            str(v["found"]),
            f"{100 * v['recall']:.0f} %",
            str(v["rings_covered"]),
            str(v["subjects"]),
        ]
        for kind, v in sorted(e.by_type.items())
    ]
    overall = [
        [
            str(e.budget),
            str(len(e.reviewed)),
            f"{100 * e.precision:.0f} %",
            f"{100 * e.recall:.0f} %",
            f"{100 * e.ring_recall:.0f} %",
            f"{len(e.lookalike_flags)} of {e.lookalikes}",
        ]
    ]
    kinds = [[k, str(v["subjects"]), str(v["hits"])] for k, v in sorted(e.kinds.items())]
    each = [
        [k, str(v["subjects"]), str(v["hits"]), str(v["reviewed"]), str(v["reviewed_hits"])]
        for k, v in e.per_kind.items()
    ]
    tables = [
        (
            f"flag run {e.run_id}: {e.flags:,} flags on {e.subjects:,} subjects",
            ["budget", "reviewed", "precision", "scheme recall", "ring recall", "look-alike alarms"],
            overall,
        ),
        (
            "per scheme type, within the budget",
            ["scheme type", "planted", "found", "recall", "rings covered", "subjects hitting it"],
            rows,
        ),
        ("per flag kind, within the budget", ["kinds", "subjects", "hits"], kinds),
        (
            "each flag kind (a subject may carry several)",
            ["kind", "subjects", "hitting a scheme", "within the budget", "hitting, within the budget"],
            each,
        ),
    ]
    if e.tips:
        t, without = e.tips, e.tips["without_tips"]
        tables.append(
            (
                f"what tips add: {t['raised_subjects']} flagged subjects named by tips "
                f"({t['raised_hits']} planted), {t['entered_budget']} entered the budget "
                f"({t['entered_budget_hits']} planted)",
                ["", "precision", "scheme recall", "ring recall"],
                [
                    [
                        "with tips",
                        f"{100 * e.precision:.0f} %",
                        f"{100 * e.recall:.0f} %",
                        f"{100 * e.ring_recall:.0f} %",
                    ],
                    [
                        "without tips",
                        f"{100 * without['precision']:.0f} %",
                        f"{100 * without['scheme_recall']:.0f} %",
                        f"{100 * without['ring_recall']:.0f} %",
                    ],
                ],
            )
        )
    return tables
