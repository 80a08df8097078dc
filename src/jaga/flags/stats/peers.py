"""Comparing each entity's rate with its peers': exact test, false-discovery control, shrinkage.

For one metric (say, births at a facility followed by a relinquishment) every entity has `n` cases and `x`
events. The steps, vectorised over all entities:

1. **Peers.** An entity is compared with the other entities of its kind in the finest region (regency,
   then province, then the country) where those peers have at least `min_peer_cases` cases and
   `min_peers` members, so that a regional effect (a regency where most registrations are late, a
   province whose hospitals take referrals) is absorbed by the comparison instead of flagged. The peer
   rate leaves the entity out and is pulled towards the national rate by one pseudo-event, so that it
   is never zero.
2. **Exact test.** One-sided Fisher's exact test of the 2x2 table (entity vs its peers, event vs none):
   the hypergeometric upper tail, `P(X >= x)`.
3. **Benjamini-Hochberg** across every entity of every metric tested in one run (`bh_adjust`): a `q` of
   0.05 means about one flag in twenty at that level is expected to be chance.
4. **Empirical-Bayes shrinkage.** The entity's rate gets a beta prior centred on its peer rate, worth
   `prior_events` events (`alpha`), estimated by the method of moments from how much entities of this
   metric really differ (Poisson-gamma moments of observed over expected), bounded to
   [`MIN_PRIOR_EVENTS`, `MAX_PRIOR_EVENTS`]. The posterior mean over the peer rate is the *shrunken ratio*;
   its 5 % posterior quantile (`eb05`) is a conservative effect size. One relinquishment in two births
   moves the shrunken ratio little; thirty in fifty move it far.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

MIN_PRIOR_EVENTS = 0.5
MAX_PRIOR_EVENTS = 1.0


@dataclass(frozen=True)
class PeerLevel:
    """A peer grouping: a name for reports and the column that holds each entity's group at that level."""

    name: str  # "regency", "province", "national"
    column: str


def bh_adjust(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q), in the order given."""
    if p.size == 0:
        return p.astype(float)
    return np.asarray(stats.false_discovery_control(np.clip(p, 0.0, 1.0), method="bh"), dtype=float)


def prior_events(observed: np.ndarray, expected: np.ndarray) -> float:
    """Method-of-moments strength of the prior on entities' rate ratios, in events.

    If an entity's true ratio is gamma-distributed with mean 1 and variance 1/alpha, its count has
    variance E + E^2/alpha; so 1/alpha is estimated by sum((O-E)^2 - O) / sum(E^2).
    """
    if observed.size == 0 or float(np.sum(expected**2)) == 0.0:
        return MAX_PRIOR_EVENTS
    spread = float(np.sum((observed - expected) ** 2 - observed)) / float(np.sum(expected**2))
    if spread <= 1.0 / MAX_PRIOR_EVENTS:
        return MAX_PRIOR_EVENTS
    return float(np.clip(1.0 / spread, MIN_PRIOR_EVENTS, MAX_PRIOR_EVENTS))


def _choose_peers(
    table: pl.DataFrame, levels: list[PeerLevel], *, min_peer_cases: int, min_peers: int
) -> pl.DataFrame:
    """Per entity, the finest level whose peers (itself and entities in `outlier` left out) suffice."""
    # An entity's contribution to its peers' sums: nothing if it is an outlier (see compare_with_peers).
    table = table.with_columns(
        pl.when(pl.col("outlier")).then(0).otherwise(pl.col("n")).alias("_cn"),
        pl.when(pl.col("outlier")).then(0).otherwise(pl.col("x")).alias("_cx"),
        pl.when(pl.col("outlier")).then(0).otherwise(1).alias("_ce"),
    )
    chosen = table.with_columns(
        pl.lit(None, dtype=pl.String).alias("peer_level"),
        pl.lit(None, dtype=pl.String).alias("peer_group"),
        pl.lit(0, dtype=pl.Int64).alias("peer_entities"),
        pl.lit(0, dtype=pl.Int64).alias("peer_n"),
        pl.lit(0, dtype=pl.Int64).alias("peer_x"),
    )
    for level in [*levels, PeerLevel("all", "_all")]:  # finest first; "all" takes whatever is left
        source = table.with_columns(pl.lit("all").alias("_all")) if level.column == "_all" else table
        sums = source.group_by(level.column).agg(
            pl.col("_cn").sum().alias("_gn"),
            pl.col("_cx").sum().alias("_gx"),
            pl.col("_ce").sum().alias("_ge"),
        )
        if level.column == "_all":
            chosen = chosen.with_columns(pl.lit("all").alias("_all"))
        joined = chosen.join(sums, on=level.column, how="left")
        peer_n = pl.col("_gn") - pl.col("_cn")
        peer_entities = pl.col("_ge") - pl.col("_ce")
        usable = pl.col("peer_level").is_null() & (
            ((peer_n >= min_peer_cases) & (peer_entities >= min_peers)) | pl.lit(level.column == "_all")
        )
        chosen = joined.with_columns(
            pl.when(usable).then(pl.lit(level.name)).otherwise(pl.col("peer_level")).alias("peer_level"),
            pl.when(usable)
            .then(pl.col(level.column).cast(pl.String))
            .otherwise(pl.col("peer_group"))
            .alias("peer_group"),
            pl.when(usable).then(peer_entities).otherwise(pl.col("peer_entities")).alias("peer_entities"),
            pl.when(usable).then(peer_n).otherwise(pl.col("peer_n")).alias("peer_n"),
            pl.when(usable).then(pl.col("_gx") - pl.col("_cx")).otherwise(pl.col("peer_x")).alias("peer_x"),
        ).drop("_gn", "_gx", "_ge")
    return chosen.drop("_cn", "_cx", "_ce", "_all")


def compare_with_peers(
    table: pl.DataFrame,
    levels: list[PeerLevel],
    *,
    min_peer_cases: int = 500,
    min_peers: int = 3,
    outlier_p: float = 1e-4,
) -> pl.DataFrame:
    """Per entity (`entity`, `n`, `x` and one column per level): the test and the effect sizes.

    Adds `peer_level`, `peer_group`, `peer_entities`, `peer_n`, `peer_x`, `rate`, `peer_rate`, `ratio`,
    `ci_low`, `ci_high` (exact 95 % interval of the ratio), `p`, `prior_events`, `shrunk_rate`,
    `shrunk_ratio` and `eb05`. The caller adjusts `p` across everything it tests (`bh_adjust`).

    Two passes: the first compares everyone with the coarsest level (all entities of the kind); entities
    it finds extreme (p below `outlier_p`, three events or more) are then left out of every *other*
    entity's peers, so that one ring does not raise the bar its own accomplices, or another ring nearby,
    are measured against (several colluding clinics in one regency would otherwise be each other's peers).
    """
    table = table.filter(pl.col("n") > 0).with_columns(pl.lit(False).alias("outlier"))
    coarsest = levels[-1:]
    first = _tested(_choose_peers(table, coarsest, min_peer_cases=min_peer_cases, min_peers=min_peers), table)
    if first.height == 0:
        return first.drop("outlier")
    outlier = (first["p"] < outlier_p) & (first["x"] >= 3)
    table = first.select(table.columns).with_columns(pl.Series("outlier", outlier))
    second = _tested(_choose_peers(table, levels, min_peer_cases=min_peer_cases, min_peers=min_peers), table)
    return second.drop("outlier")


_OUTPUTS = (
    "rate",
    "peer_rate",
    "ratio",
    "ci_low",
    "ci_high",
    "p",
    "prior_events",
    "shrunk_rate",
    "shrunk_ratio",
    "eb05",
)


def _tested(chosen: pl.DataFrame, table: pl.DataFrame) -> pl.DataFrame:
    if chosen.height == 0:
        return chosen.with_columns(*(pl.lit(None, dtype=pl.Float64).alias(c) for c in _OUTPUTS))
    total_n, total_x = int(table["n"].sum() or 0), int(table["x"].sum() or 0)
    national_rate = (total_x + 0.5) / (total_n + 1.0)
    n = chosen["n"].to_numpy().astype(float)
    x = chosen["x"].to_numpy().astype(float)
    peer_n = chosen["peer_n"].to_numpy().astype(float)
    peer_x = chosen["peer_x"].to_numpy().astype(float)
    # The peer rate, one pseudo-event towards the national rate (never 0, never above 1).
    peer_rate = (peer_x + 1.0) / (peer_n + 1.0 / national_rate)
    rate = x / n
    # Fisher's exact test, one-sided (entity rate above its peers'): hypergeometric upper tail.
    population = (n + peer_n).astype(np.int64)
    successes = (x + peer_x).astype(np.int64)
    p = np.where(x > 0, stats.hypergeom.sf(x - 1, population, successes, n.astype(np.int64)), 1.0)
    # Clopper-Pearson 95 % interval of the entity's rate, over the peer rate.
    low = np.where(x > 0, stats.beta.ppf(0.025, np.maximum(x, 1), n - x + 1), 0.0)
    high = np.where(x < n, stats.beta.ppf(0.975, x + 1, np.maximum(n - x, 1)), 1.0)
    alpha = prior_events(x, n * peer_rate)
    post_a = x + alpha
    post_b = n - x + alpha * (1.0 - peer_rate) / peer_rate
    shrunk_rate = post_a / (post_a + post_b)
    eb05 = stats.beta.ppf(0.05, post_a, post_b) / peer_rate
    return chosen.with_columns(
        pl.Series("rate", rate),
        pl.Series("peer_rate", peer_rate),
        pl.Series("ratio", rate / peer_rate),
        pl.Series("ci_low", low / peer_rate),
        pl.Series("ci_high", high / peer_rate),
        pl.Series("p", np.asarray(p, dtype=float)),
        pl.Series("prior_events", np.full_like(n, alpha)),
        pl.Series("shrunk_rate", shrunk_rate),
        pl.Series("shrunk_ratio", shrunk_rate / peer_rate),
        pl.Series("eb05", np.asarray(eb05, dtype=float)),
    )
