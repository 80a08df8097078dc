"""Record rules about adoption cases: steps skipped or out of order (replayed through the legal workflow
itself), children placed with prospective adopters before a court ruling and without a care permit,
and intercountry placements without the steps the law requires for them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl

from jaga.errors import JagaError, RecordRejected, StepOutOfOrder
from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.rules.common import build, clamp, refs
from jaga.registry import (
    RULES,
    CaseKind,
    CaseStatus,
    Document,
    Outcome,
    Step,
    StepRequest,
    TakenStep,
    check_step,
    status_after,
)

# Before foreign adopters may care for the child: their residence checked and a temporary-care permit.
BEFORE_PLACEMENT = (Step.RESIDENCE_VERIFICATION, Step.TEMPORARY_CARE)
# Six months of care lead to the Minister's permit and the court; a year on, both should be there.
AFTER_PLACEMENT = (Step.MINISTERIAL_PERMIT, Step.COURT_RULING)
AFTER_PLACEMENT_DAYS = 365
ADOPTER_PLACEMENT = "prospective_adopters"
# Python 3.11 refuses `str in Enum`; compare against the values.
_STEPS = {s.value for s in Step}
_OUTCOMES = {o.value for o in Outcome}


def _steps_by_case(frames: Frames) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    steps = frames.adoption_steps.select("case_id", "number", "step", "occurred_on", "outcome", "documents")
    for row in steps.sort("case_id", "number").iter_rows(named=True):
        grouped.setdefault(row["case_id"], []).append(row)
    return grouped


def _documents(text: str) -> tuple[Document, ...]:
    try:
        items = json.loads(text)
        return tuple(Document(str(d["kind"]), str(d.get("number", ""))) for d in items)
    except (ValueError, TypeError, KeyError):
        return ()


def _replay(case: dict[str, Any], steps: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every step the legal workflow would have refused, in order, with the rule it broke."""
    kind = CaseKind.INTERCOUNTRY if case["kind"] == CaseKind.INTERCOUNTRY.value else CaseKind.DOMESTIC
    status = CaseStatus.OPEN
    history: list[TakenStep] = []
    broken: list[dict[str, str]] = []
    for row in steps:
        if row["step"] not in _STEPS:
            broken.append({"step": row["step"], "rule": "unknown-step", "missing": ""})
            continue
        step = Step(row["step"])
        outcome = Outcome(row["outcome"]) if row["outcome"] in _OUTCOMES else None
        request = StepRequest(step, row["occurred_on"], outcome, _documents(row["documents"]))
        try:
            check_step(
                case_ref=case["ref"],
                kind=kind,
                status=status,
                history=history,
                request=request,
                role=RULES[step].role,
                today=date.max,  # dates in the future are the importers' concern, not a flag
            )
        except StepOutOfOrder as exc:
            broken.append({"step": step.value, "rule": "out-of-order", "missing": exc.missing})
        except RecordRejected as exc:
            missing = "; ".join(p.reason for p in exc.problems)
            broken.append({"step": step.value, "rule": "incomplete", "missing": missing})
        except JagaError as exc:  # e.g. recommendation before six months of care: the message says which
            broken.append({"step": step.value, "rule": exc.problem, "missing": str(exc).partition(": ")[2]})
        history.append(TakenStep(step, row["occurred_on"], outcome))
        status = status_after(status, step, outcome)
    return broken


def steps_out_of_order(frames: Frames, today: date) -> list[Candidate]:
    grouped = _steps_by_case(frames)
    found = []
    for case in frames.adoption_cases.select("id", "ref", "region_code", "kind").iter_rows(named=True):
        broken = _replay(case, grouped.get(case["id"], []))
        if not broken:
            continue
        first = broken[0]
        skipped = [b for b in broken if b["rule"] == "out-of-order"]
        detail_en = "; ".join(
            f"{b['step']} taken before {b['missing']}"
            if b["rule"] == "out-of-order"
            else f"{b['step']} ({b['rule']}: {b['missing']})"
            for b in broken
        )
        detail_id = "; ".join(
            f"{b['step']} diambil sebelum {b['missing']}"
            if b["rule"] == "out-of-order"
            else f"{b['step']} ({b['rule']}: {b['missing']})"
            for b in broken
        )
        found.append(
            Candidate(
                kind="adoption_steps_out_of_order",
                subject_type="adoption_case",
                subject_ref=case["ref"],
                score=clamp(
                    0.6 + 0.1 * len(skipped) + 0.2 * any(b["step"] == "court_ruling" for b in broken)
                ),
                evidence={"broken_steps": broken, "first_broken": first["step"]},
                explanation_id=(
                    f"Kasus adopsi {case['ref']} melewatkan atau membalik urutan tahap menurut PP 54/2007: "
                    f"{detail_id}."
                ),
                explanation_en=(
                    f"Adoption case {case['ref']} skips steps or takes them out of the order PP 54/2007 "
                    f"requires: {detail_en}."
                ),
                records=(case["ref"],),
                region_code=case["region_code"],
            )
        )
    return found


def _case_placements(frames: Frames) -> pl.DataFrame:
    """Placements with prospective adopters, each with its adoption case (linked, or the carer adopts)."""
    placements = frames.placements.filter(pl.col("kind") == ADOPTER_PLACEMENT).select(
        pl.col("id").alias("placement_id"),
        pl.col("ref").alias("placement_ref"),
        "region_code",
        "child_id",
        "carer_id",
        "adoption_case_id",
        "from_date",
    )
    columns = [
        pl.col("id").alias("case_id"),
        pl.col("ref").alias("case_ref"),
        pl.col("kind").alias("case_kind"),
    ]
    cases = frames.adoption_cases.select(*columns)
    carers = pl.concat(
        [
            frames.adoption_cases.select(pl.col("adopter_id").alias("carer_id"), *columns),
            frames.adoption_cases.filter(pl.col("co_adopter_id").is_not_null()).select(
                pl.col("co_adopter_id").alias("carer_id"), *columns
            ),
        ]
    )
    linked = placements.join(cases, left_on="adoption_case_id", right_on="case_id", how="inner").with_columns(
        case_id=pl.col("adoption_case_id")
    )
    unlinked = placements.filter(pl.col("adoption_case_id").is_null())
    by_carer = unlinked.join(carers, on="carer_id", how="inner")
    with_case = pl.concat([linked, by_carer], how="diagonal_relaxed").unique("placement_id", keep="first")
    without = unlinked.join(with_case.select("placement_id"), on="placement_id", how="anti")
    return pl.concat([with_case, without], how="diagonal_relaxed")


def _first_step_dates(frames: Frames) -> pl.DataFrame:
    """case_id -> the date each step was first taken (a passing outcome for rulings), as columns."""
    steps = frames.adoption_steps.filter(
        pl.col("outcome").is_null() | pl.col("outcome").is_in([Outcome.PASSED.value, Outcome.GRANTED.value])
    )
    firsts = steps.group_by("case_id", "step").agg(pl.col("occurred_on").min())
    wanted = [Step.TEMPORARY_CARE, Step.COURT_RULING, Step.RESIDENCE_VERIFICATION, Step.MINISTERIAL_PERMIT]
    out = frames.adoption_cases.select(pl.col("id").alias("case_id"))
    for step in wanted:
        out = out.join(
            firsts.filter(pl.col("step") == step.value).select(
                "case_id", pl.col("occurred_on").alias(step.value)
            ),
            on="case_id",
            how="left",
        )
    return out


def placement_before_ruling(frames: Frames, today: date) -> list[Candidate]:
    """With prospective adopters before any court ruling and without a temporary-care permit."""
    placed = _case_placements(frames).join(_first_step_dates(frames), on="case_id", how="left")
    care, ruling = pl.col(Step.TEMPORARY_CARE.value), pl.col(Step.COURT_RULING.value)
    suspect = placed.filter(
        (ruling.is_null() | (ruling > pl.col("from_date"))) & (care.is_null() | (care > pl.col("from_date")))
    )
    child_refs = frames.people.select(pl.col("id").alias("child_id"), pl.col("ref").alias("child_ref"))
    suspect = suspect.join(child_refs, on="child_id", how="left")

    def make(row: dict[str, Any]) -> Candidate:
        start = row["from_date"]
        ruled = row[Step.COURT_RULING.value]
        lead = (ruled - start).days if ruled is not None else (today - start).days
        has_case = row["case_ref"] is not None
        if ruled is not None:
            ruling_id, ruling_en = (
                f"{lead} hari sebelum putusan pengadilan",
                f"{lead} days before the court ruling",
            )
        else:
            ruling_id = f"tanpa putusan pengadilan sampai hari ini ({lead} hari)"
            ruling_en = f"with no court ruling to this day ({lead} days)"
        case_id = f"dalam kasus {row['case_ref']}" if has_case else "tanpa kasus adopsi sama sekali"
        case_en = f"in case {row['case_ref']}" if has_case else "with no adoption case at all"
        return Candidate(
            kind="placement_before_court_ruling",
            subject_type="placement",
            subject_ref=row["placement_ref"],
            score=clamp(0.6 + 0.2 * (not has_case) + 0.15 * (lead > 180)),
            evidence={
                "placed_on": start,
                "court_ruling_on": ruled,
                "temporary_care_permit_on": row[Step.TEMPORARY_CARE.value],
                "days_before_ruling": lead,
                "adoption_case": row["case_ref"],
            },
            explanation_id=(
                f"Anak ditempatkan pada calon orang tua angkat ({row['placement_ref']}) sejak "
                f"{start.isoformat()}, {ruling_id}, tanpa izin pengasuhan sementara, {case_id}."
            ),
            explanation_en=(
                f"The child was placed with prospective adopters ({row['placement_ref']}) from "
                f"{start.isoformat()}, {ruling_en}, without a temporary-care permit, {case_en}."
            ),
            records=refs(row["placement_ref"], row["case_ref"], row["child_ref"]),
            region_code=row["region_code"],
        )

    return build(suspect, make)


def intercountry_missing_steps(frames: Frames, today: date) -> list[Candidate]:
    """An intercountry child with the adopters before residence checks, the Minister's permit or the court."""
    placed = (
        _case_placements(frames)
        .filter(pl.col("case_kind") == CaseKind.INTERCOUNTRY.value)
        .join(_first_step_dates(frames), on="case_id", how="left")
    )
    start = pl.col("from_date")
    due = start + pl.duration(days=AFTER_PLACEMENT_DAYS)
    overdue = pl.lit(today) > due
    lacking = [
        pl.when(pl.col(s.value).is_null() | (pl.col(s.value) > start)).then(pl.lit(s.value)).otherwise(None)
        for s in BEFORE_PLACEMENT
    ] + [
        pl.when(overdue & (pl.col(s.value).is_null() | (pl.col(s.value) > due)))
        .then(pl.lit(s.value))
        .otherwise(None)
        for s in AFTER_PLACEMENT
    ]
    placed = placed.with_columns(missing=pl.concat_list(lacking).list.drop_nulls()).filter(
        pl.col("missing").list.len() > 0
    )
    # Reported per case: the earliest such placement.
    first = placed.sort("from_date").group_by("case_id", maintain_order=True).first()

    def make(row: dict[str, Any]) -> Candidate:
        missing = list(row["missing"])
        names = ", ".join(missing)
        return Candidate(
            kind="intercountry_steps_missing",
            subject_type="adoption_case",
            subject_ref=row["case_ref"],
            score=clamp(0.7 + 0.1 * len(missing)),
            evidence={
                "placed_on": row["from_date"],
                "placement": row["placement_ref"],
                "missing_steps": missing,
            },
            explanation_id=(
                f"Kasus adopsi antarnegara {row['case_ref']}: anak ditempatkan pada calon orang tua angkat "
                f"sejak {row['from_date'].isoformat()} tanpa tahap yang diwajibkan (pemeriksaan izin tinggal "
                f"dan izin pengasuhan sementara sebelumnya; izin Menteri dan putusan pengadilan dalam "
                f"{AFTER_PLACEMENT_DAYS} hari): {names}."
            ),
            explanation_en=(
                f"Intercountry adoption case {row['case_ref']}: the child was placed with the prospective "
                f"adopters from {row['from_date'].isoformat()} without the required steps (residence "
                f"verification and a temporary-care permit before it; the Minister's permit and the court "
                f"ruling within {AFTER_PLACEMENT_DAYS} days): {names}."
            ),
            records=refs(row["case_ref"], row["placement_ref"]),
            region_code=row["region_code"],
        )

    return build(first, make)
