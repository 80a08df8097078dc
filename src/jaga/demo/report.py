"""The demo report: what was generated, what jaga holds now, and what was planted versus found.

Figures are drawn with matplotlib into inline SVG, so the report is one self-contained HTML file that opens
offline. Everything shown about the registry is computed from the database as any user could; the
"planted" columns come from the synthetic ground truth (this module is evaluation, not detection).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from matplotlib.figure import Figure
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

import jaga
from jaga.db.tables import metadata
from jaga.files import atomic_write
from jaga.linkage.clusters import PairScores, pairwise_scores
from jaga.linkage.models import Identity
from jaga.regions import load_directory
from jaga.registry import Birth, Facility, Person, Relinquishment

REVIEW_BUDGET = 50  # subjects an investigator can look at: the flags are judged within it


@dataclass(frozen=True)
class Plot:
    title: str
    caption: str
    svg: str


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _figure() -> Figure:
    figure = Figure(figsize=(7.5, 3.6), dpi=100)
    figure.set_layout_engine("tight")
    return figure


def births_by_regency(engine: Engine) -> Plot:
    with engine.connect() as connection:
        rows = connection.execute(
            select(func.substr(Birth.region_code, 1, 4).label("regency"), func.count().label("n"))
            .group_by("regency")
            .order_by(func.count().desc())
            .limit(15)
        ).all()
    directory = load_directory()
    names = [directory.get(r.regency).name if directory.get(r.regency) else r.regency for r in rows]  # type: ignore[union-attr]
    figure = _figure()
    axes = figure.add_subplot()
    axes.barh(names[::-1], [r.n for r in rows][::-1], color="#2b6cb0")
    axes.set_xlabel("births recorded")
    return Plot("Births by regency", "The 15 regencies with the most births recorded in jaga.", _svg(figure))


# Relinquishments by the facility where the relinquishing mother gave birth; `same_mother` joins the
# relinquishing mother `r.mother_id` to her records as a facility's mother, as `fm_id`. A mother may have
# given birth at several facilities: each relinquishment goes to one of them only, the facility of her
# latest birth on or before it (the child's, most likely), so the facilities' counts add up to at most
# the number of relinquishments.
_RATES = """
    WITH facility_births AS (
        SELECT facility_id, count(*) AS births
        FROM births WHERE facility_id IS NOT NULL GROUP BY facility_id
    ),
    candidates AS (
        SELECT r.id AS relinquishment_id, b.facility_id,
               ROW_NUMBER() OVER (PARTITION BY r.id ORDER BY b.born_on DESC, b.id DESC) AS latest
        FROM relinquishments r
        {same_mother}
        JOIN births b ON b.mother_id = fm_id AND b.facility_id IS NOT NULL AND b.born_on <= r.occurred_on
    ),
    attributed AS (SELECT relinquishment_id, facility_id FROM candidates WHERE latest = 1)
    SELECT f.ref, f.kind, fb.births, count(a.relinquishment_id) AS relinquished
    FROM facility_births fb JOIN facilities f ON f.id = fb.facility_id
    LEFT JOIN attributed a ON a.facility_id = fb.facility_id
    GROUP BY f.ref, f.kind, fb.births
"""
_BY_IDENTITY = """JOIN identities ri ON ri.person_id = r.mother_id
        JOIN (SELECT identity_id, person_id AS fm_id FROM identities) fi ON fi.identity_id = ri.identity_id"""
_BY_NIK = """JOIN people rm ON rm.id = r.mother_id AND rm.nik IS NOT NULL
        JOIN (SELECT id AS fm_id, nik FROM people WHERE source_kind = 'facility') fm ON fm.nik = rm.nik"""


def relinquishment_rates(
    engine: Engine, planted: set[str], lookalikes: set[str]
) -> tuple[Plot, dict[str, int]]:
    """Relinquishments per 1,000 births by facility, attributing a relinquishment to the facility where the
    relinquishing mother last gave birth before it: the same person by identity linkage (or, before any
    linkage run, by an exact NIK match). Returns the plot and {"attributed", "total"}; attributed <= total."""
    with engine.connect() as connection:
        has_identities = connection.execute(select(func.count()).select_from(Identity)).scalar_one() > 0
        same_mother = _BY_IDENTITY if has_identities else _BY_NIK
        rows = connection.execute(text(_RATES.format(same_mother=same_mother))).all()
        total = connection.execute(select(func.count()).select_from(Relinquishment)).scalar_one()
    attributed = sum(r.relinquished for r in rows)
    figure = _figure()
    axes = figure.add_subplot()
    colours = [
        "#c53030" if r.ref in planted else ("#dd6b20" if r.ref in lookalikes else "#4a5568") for r in rows
    ]
    axes.scatter(
        [r.births for r in rows], [1000 * r.relinquished / r.births for r in rows], s=12, c=colours, alpha=0.8
    )
    axes.set_xscale("log")
    axes.set_xlabel("births at the facility (log scale)")
    axes.set_ylabel("relinquishments per 1,000 births")
    caption = (
        f"Each dot is a facility. {attributed} of {total} relinquishments could be attributed to the "
        "facility where the relinquishing mother gave birth, "
        + ("through identity linkage" if has_identities else "by an exact NIK match (no linkage run)")
        + ". Red: planted ring facilities; orange: benign "
        "look-alikes (both from the synthetic ground truth, for the reader, not for detectors)."
    )
    return Plot("Relinquishment rates by facility", caption, _svg(figure)), {
        "attributed": attributed,
        "total": total,
    }


def registration_delays(engine: Engine) -> Plot:
    with engine.connect() as connection:
        delays = [
            int(r.delay)
            for r in connection.execute(
                text(
                    "SELECT registered_on - born_on AS delay FROM births WHERE registered_on IS NOT NULL"
                    if engine.dialect.name == "postgresql"
                    else "SELECT CAST(julianday(registered_on) - julianday(born_on) AS INTEGER) AS delay "
                    "FROM births WHERE registered_on IS NOT NULL"
                )
            )
        ]
    figure = _figure()
    axes = figure.add_subplot()
    bins = [0, 30, 60, 90, 180, 365, 730, 1095, 1460, 2200]
    counts = [sum(1 for d in delays if low <= d < high) for low, high in itertools.pairwise(bins)]
    labels = [f"{low}-{high}" for low, high in itertools.pairwise(bins)]
    axes.bar(labels, counts, color=["#2f855a" if high <= 60 else "#b7791f" for high in bins[1:]])
    axes.set_xlabel("days from birth to civil registration")
    axes.set_ylabel("births")
    axes.tick_params(axis="x", labelrotation=45)
    late = sum(1 for d in delays if d > 60)
    return Plot(
        "Registration delays",
        f"{late} of {len(delays)} registered births were registered more than 60 days after birth (late).",
        _svg(figure),
    )


def linkage_quality(engine: Engine, synth_folder: Path) -> PairScores | None:
    """How the stored identities compare with the synthetic identity truth, pair for pair."""
    with engine.connect() as connection:
        predicted = {
            ref: str(identity)
            for ref, identity in connection.execute(
                select(Person.ref, Identity.identity_id).join(Identity, Identity.person_id == Person.id)
            )
        }
    if not predicted:
        return None
    with (synth_folder / "truth" / "identities.csv").open(encoding="utf-8", newline="") as handle:
        expected = {row["ref"]: row["true_id"] for row in csv.DictReader(handle)}
    return pairwise_scores(predicted, expected)


def _truth(folder: Path) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    truth = folder / "truth"

    def rows(name: str) -> list[dict[str, str]]:
        with (truth / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    return rows("schemes.csv"), rows("scheme_members.csv"), rows("lookalikes.csv")


def write_report(
    path: Path,
    *,
    engine: Engine,
    synth_folder: Path,
    imports: list[Any],
    stages: dict[str, float],
    synth_summary: Any,
    flags_available: bool,
    ledger: Any = None,
    certificates: Any = (),
    linkage: Any = None,
    vkey_path: Path | None = None,
    certificate_folder: Path | None = None,
) -> None:
    """Render the report to `path`. `vkey_path` and `certificate_folder` are shown as the demo printed
    them (relative to where jaga runs, usually the project folder), for the `jaga verify` line."""
    schemes, members, lookalikes = _truth(synth_folder)
    planted_facilities = {m["ref"] for m in members if m["role"] == "ring_facility"}
    lookalike_refs = {m["ref"] for m in lookalikes}
    rates, coverage = relinquishment_rates(engine, planted_facilities, lookalike_refs)
    plots = [births_by_regency(engine), rates, registration_delays(engine)]
    by_scheme = Counter(m["scheme_id"] for m in members)
    evaluation = None
    first_rank: dict[str, int] = {}
    if flags_available:
        from jaga.flags.evaluate import evaluate_database, summary_tables

        with Session(engine) as session:
            evaluation = evaluate_database(session, synth_folder / "truth", budget=REVIEW_BUDGET)
        for rank, subject in enumerate(evaluation.reviewed, start=1):
            for scheme in subject.schemes:
                first_rank.setdefault(scheme, rank)
    scheme_rows = [
        {
            "id": s["scheme_id"],
            "type": s["type"],
            "hidden": s["hidden"],
            "description": s["description"],
            "members": by_scheme[s["scheme_id"]],
            "found": None if evaluation is None else first_rank.get(s["scheme_id"], 0),
        }
        for s in schemes
    ]
    with engine.connect() as connection:
        counts = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata().sorted_tables
            if table.name not in ("alembic_version", "event_sequence")
            and not table.name.startswith("ledger_")
        }
    facilities = counts.get(Facility.__tablename__, 0)
    environment = Environment(loader=PackageLoader("jaga.demo", "templates"), autoescape=select_autoescape())
    html = environment.get_template("report.html").render(
        version=jaga.__version__,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        synth=synth_summary,
        manifest=json.loads((synth_folder / "manifest.json").read_text(encoding="utf-8")),
        imports=imports,
        stages=stages,
        counts=counts,
        facilities=facilities,
        plots=plots,
        schemes=scheme_rows,
        lookalikes=lookalikes,
        coverage=coverage,
        flags_available=flags_available,
        ledger=ledger,
        certificates=certificates,
        linkage=linkage,
        vkey_path=str(vkey_path) if vkey_path else "keys/ledger.vkey",
        certificate_folder=str(certificate_folder) if certificate_folder else "certificates",
        budget=REVIEW_BUDGET,
        evaluation=summary_tables(evaluation) if evaluation is not None else None,
        lookalike_alarms=evaluation.lookalike_flags if evaluation is not None else [],
        top=evaluation.reviewed[:15] if evaluation is not None else [],
        linkage_quality=linkage_quality(engine, synth_folder) if linkage is not None else None,
    )
    atomic_write(path, html)
