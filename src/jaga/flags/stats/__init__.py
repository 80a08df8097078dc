"""Statistical detectors: each facility, attendant, registrar and institution compared with its peers.

A ring is invisible one record at a time and obvious in aggregate. For every metric in `METRICS` (a clinic's
births followed by a relinquishment, a registrar's late registrations without a birth statement for
mothers from another province, ...) each entity's rate is tested against its peers' (same kind, finest
region with enough data) with Fisher's exact test, the p-values of every entity of every metric are
adjusted together (Benjamini-Hochberg), and rates are shrunk towards the peers' (empirical Bayes) so that a
small entity is not flagged on noise (`jaga.flags.stats.peers`).

An entity is flagged only when all of these hold, so that a large entity modestly above its peers (a
referral hospital) is not: `q <= MAX_Q`, at least `MIN_EVENTS` events, a shrunken rate ratio of at least
`MIN_SHRUNK_RATIO` and a conservative (5 % posterior) ratio of at least `MIN_EB05`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.stats.metrics import METRICS, Metric, entity_table
from jaga.flags.stats.outcomes import Outcomes, compute_outcomes
from jaga.flags.stats.peers import bh_adjust, compare_with_peers

MAX_Q = 0.01
MIN_EVENTS = 3
MIN_SHRUNK_RATIO = 4.0
MIN_EB05 = 2.0
MAX_RECORDS = 200  # records named per flag (the evidence keeps the counts)

__all__ = ["METRICS", "Metric", "analyse", "compare_entities", "compute_outcomes", "detect"]


# The network detector runs after this one on the same frames and needs the same tests: keep the last
# result (with a reference to its frames, so that the id cannot be reused while it is kept).
_last: tuple[Frames, Outcomes, pl.DataFrame] | None = None


def analyse(frames: Frames) -> tuple[Outcomes, pl.DataFrame]:
    """(outcomes, every entity compared), computed once per frames object."""
    global _last
    if _last is not None and _last[0] is frames:
        return _last[1], _last[2]
    outcomes = compute_outcomes(frames)
    compared = compare_entities(frames, outcomes)
    _last = (frames, outcomes, compared)
    return outcomes, compared


def compare_entities(frames: Frames, outcomes: Outcomes | None = None) -> pl.DataFrame:
    """Every entity of every metric with its test, q and effect sizes (flagged or not), for reports."""
    outcomes = outcomes or compute_outcomes(frames)
    parts = []
    for metric in METRICS:
        grouped, events = entity_table(metric, frames, outcomes)
        compared = compare_with_peers(grouped, list(metric.levels))
        refs = getattr(frames, metric.entity_table).select(
            pl.col("id").alias("entity_id"), pl.col("ref").alias("entity_ref"), "region_code"
        )
        parts.append(
            compared.join(refs, on="entity_id", how="left")
            .join(events, on="entity_id", how="left")
            .with_columns(pl.lit(metric.kind).alias("metric"))
            .select(
                "metric",
                "entity_ref",
                "region_code",
                "kind",
                "n",
                "x",
                "rate",
                "peer_level",
                "peer_group",
                "peer_entities",
                "peer_n",
                "peer_x",
                "peer_rate",
                "ratio",
                "ci_low",
                "ci_high",
                "p",
                "prior_events",
                "shrunk_rate",
                "shrunk_ratio",
                "eb05",
                pl.col("records").fill_null(pl.lit([], dtype=pl.List(pl.String))),
            )
        )
    tested = pl.concat(parts, how="vertical") if parts else pl.DataFrame()
    if tested.height == 0:
        return tested.with_columns(pl.lit(None, dtype=pl.Float64).alias("q"), pl.lit(False).alias("flagged"))
    q = bh_adjust(tested["p"].to_numpy())
    tested = tested.with_columns(pl.Series("q", q))
    return tested.with_columns(
        (
            (pl.col("q") <= MAX_Q)
            & (pl.col("x") >= MIN_EVENTS)
            & (pl.col("shrunk_ratio") >= MIN_SHRUNK_RATIO)
            & (pl.col("eb05") >= MIN_EB05)
        ).alias("flagged")
    )


def detect(frames: Frames, *, today: date) -> list[Candidate]:
    """A candidate per entity and metric that stands out from its peers (see the module's criteria)."""
    _outcomes, tested = analyse(frames)
    if tested.height == 0:
        return []
    by_kind = {m.kind: m for m in METRICS}
    total = tested.height
    found = []
    for row in tested.filter(pl.col("flagged")).iter_rows(named=True):
        found.append(_candidate(by_kind[row["metric"]], row, total))
    return found


def score_of(eb05: float, q: float) -> float:
    """0.6..1: flagged entities rank above most single-record findings; stronger and surer rank higher."""
    strength = min(1.0, math.log10(max(eb05, 1.0)) / 2.0)  # a conservative ratio of 100 is the top
    certainty = min(1.0, -math.log10(max(q, 1e-300)) / 10.0)  # q = 1e-10 is the top
    return round(0.6 + 0.4 * (0.5 * strength + 0.5 * certainty), 6)


def _candidate(metric: Metric, row: dict[str, Any], tested: int) -> Candidate:
    evidence = {
        "metric": metric.kind,
        "cases": row["n"],
        "events": row["x"],
        "rate": _round(row["rate"]),
        "peer_level": row["peer_level"],
        "peer_group": row["peer_group"],
        "peer_entities": row["peer_entities"],
        "peer_cases": row["peer_n"],
        "peer_events": row["peer_x"],
        "peer_rate": _round(row["peer_rate"]),
        "rate_ratio": _round(row["ratio"]),
        "rate_ratio_ci95": [_round(row["ci_low"]), _round(row["ci_high"])],
        "shrunk_rate": _round(row["shrunk_rate"]),
        "shrunk_rate_ratio": _round(row["shrunk_ratio"]),
        "eb05_rate_ratio": _round(row["eb05"]),
        "prior_events": _round(row["prior_events"]),
        "test": "Fisher exact, one-sided (greater)",
        "p": _sci(row["p"]),
        "q": _sci(row["q"]),
        "fdr": "Benjamini-Hochberg",
        "tests_in_family": tested,
    }
    peers_en = _peers_en(row)
    peers_id = _peers_id(row)
    ratio, low, high, shrunk = row["ratio"], row["ci_low"], row["ci_high"], row["shrunk_ratio"]
    en = (
        f"{row['x']:,} of {row['n']:,} {metric.what_en} ({_pct_en(row['rate'])}) {metric.event_en}, "
        f"against {_pct_en(row['peer_rate'])} at {peers_en} ({row['peer_x']:,} of {row['peer_n']:,}): "
        f"{ratio:,.1f} times the peer rate (95 % CI {low:,.1f} to {high:,.1f}), {shrunk:,.1f} after "
        f"shrinkage towards the peers; Fisher's exact p = {_sci(row['p'])}, q = {_sci(row['q'])} "
        f"(Benjamini-Hochberg over {tested:,} entities tested)."
    )
    id_ = (
        f"{_int_id(row['x'])} dari {_int_id(row['n'])} {metric.what_id} ({_pct_id(row['rate'])}) "
        f"{metric.event_id}, dibanding {_pct_id(row['peer_rate'])} pada {peers_id} "
        f"({_int_id(row['peer_x'])} dari {_int_id(row['peer_n'])}): {_num_id(ratio)} kali angka pembanding "
        f"(IK 95 % {_num_id(low)} sampai {_num_id(high)}), {_num_id(shrunk)} setelah penyusutan ke arah "
        f"pembanding; uji eksak Fisher p = {_sci(row['p'])}, q = {_sci(row['q'])} "
        f"(Benjamini-Hochberg atas {_int_id(tested)} entitas yang diuji)."
    )
    records = tuple(row["records"][:MAX_RECORDS])
    return Candidate(
        kind=metric.kind,
        subject_type=metric.subject_type,
        subject_ref=row["entity_ref"],
        score=score_of(row["eb05"], row["q"]),
        evidence=evidence,
        explanation_id=id_,
        explanation_en=en,
        records=records,
        region_code=row["region_code"] or "",
    )


def _peers_en(row: dict[str, Any]) -> str:
    kind, _, region = str(row["peer_group"]).partition("|")
    where = {"regency": f"in regency {region}", "province": f"in province {region}"}.get(
        row["peer_level"], "nationally" if row["peer_level"] == "national" else "everywhere"
    )
    what = kind.replace("_", " ") if row["peer_level"] != "all" else "entities"
    return f"its {row['peer_entities']:,} peers ({what} {where})"


def _peers_id(row: dict[str, Any]) -> str:
    kind, _, region = str(row["peer_group"]).partition("|")
    where = {"regency": f"di kabupaten/kota {region}", "province": f"di provinsi {region}"}.get(
        row["peer_level"], "secara nasional" if row["peer_level"] == "national" else "di semua wilayah"
    )
    what = kind.replace("_", " ") if row["peer_level"] != "all" else "entitas"
    return f"{_int_id(row['peer_entities'])} pembanding ({what} {where})"


def _round(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return float(f"{value:.4g}")


def _sci(value: float) -> str:
    return f"{value:.2g}"


def _pct_en(rate: float) -> str:
    return f"{100 * rate:,.2f} %"


def _num_id(value: float) -> str:
    """Indonesian number format: dot for thousands, comma for decimals."""
    text = f"{value:,.1f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _int_id(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _pct_id(rate: float) -> str:
    text = f"{100 * rate:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") + " %"
