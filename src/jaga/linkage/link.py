"""Train, score and cluster: the linkage run, the same on either engine.

Training is unsupervised (Splink's Fellegi-Sunter model): the prior from near-certain pairs, u by random
sampling, m by expectation maximisation on blocks that leave each comparison free in turn. When reviewers
have decided enough pairs, their decisions also estimate m (the model learns from them). Pairs above
`keep_threshold` are returned with their per-comparison weights for explanation and review.
"""

from __future__ import annotations

import copy
import logging
import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.exceptions import SplinkException
from splink.internals.splink_dataframe import SplinkDataFrame

from jaga.errors import InvalidInput
from jaga.linkage import model
from jaga.linkage.engines import Engine, EngineResources, db_api
from jaga.linkage.features import present_columns
from jaga.linkage.model import LinkType

log = logging.getLogger("jaga.linkage")

# Labelled pairs below this number say too little to re-estimate m from.
MIN_LABELS_FOR_M = 30
DEFAULT_PRIOR = 0.0001  # SettingsCreator's own default for probability_two_random_records_match


@dataclass
class RunOptions:
    engine: Engine = Engine.DUCKDB
    resources: EngineResources = field(default_factory=EngineResources)
    keep_threshold: float = 0.2
    seed: int = 42
    max_u_pairs: float = 3e6
    max_em_pairs: float = 2e6  # EM converges on a sample; the full blocks at national scale take minutes
    recall: float = 0.7


@dataclass
class Scored:
    """Scored pairs (`unique_id_l`, `unique_id_r`, `match_probability`, `match_weight`, and per comparison
    its level `gamma_<name>` and weight `mw_<name>`), the trained model, and where the time went."""

    pairs: pa.Table
    model: dict[str, Any]
    levels: dict[str, dict[int, str]]  # comparison -> gamma value -> label
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def level_labels(linker: Linker) -> dict[str, dict[int, str]]:
    labels: dict[str, dict[int, str]] = {}
    # Splink exposes no public map from a comparison vector value to its label.
    for comparison in linker._settings_obj.comparisons:
        labels[comparison.output_column_name] = {
            level.comparison_vector_value: level.label_for_charts for level in comparison.comparison_levels
        }
    return labels


# Comparisons of the person themself; a family (KK) and its household (address, place, phone) share the rest.
PERSON_COMPARISONS = ("name", "dob", "nik", "id_national")
# The mother is shared by siblings as the home is: with nothing of the person agreeing, she is no evidence.
HOUSEHOLD_COMPARISONS = ("address", "postcode", "locality", "state", "region", "phone", "mother")


def _weights(pairs: pa.Table, wanted: Callable[[str], bool]) -> pa.ChunkedArray | pa.Scalar:
    """The summed weights (term-frequency adjustments included) of the comparisons `wanted` picks."""
    total: pa.ChunkedArray | pa.Scalar = pa.scalar(0.0)
    for name in pairs.column_names:
        if name.startswith("mw_") and wanted(name[3:].removeprefix("tf_adj_")):
            total = pc.add(total, pc.fill_null(pairs.column(name), 0.0))
    return total


# People move and children are moved: a record in another province is weak evidence of another person.
# Trained on a registry where almost nobody has records in two provinces (one province's data, or a
# generator without movers), EM learns "another province" as near-proof of two people (2^-20 and less),
# and a child taken to a shelter elsewhere can then never be found again. The level's weight is bounded
# at 1 in 20: records of one person sit in different provinces about that often where children are
# moved (DOMAIN.md), a prior, not a figure fitted to any benchmark.
MOVED_PROVINCE_WEIGHT = math.log2(1 / 20)
SAME_CHILD_LEVEL = 2  # gamma of `model._family`'s "same KK number and date of birth"


def bound_moves(linker: Linker) -> list[str]:
    """Raise the trained "another province" weight of the region comparison to `MOVED_PROVINCE_WEIGHT`."""
    notes = []
    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name != "region":
            continue
        for level in comparison.comparison_levels:
            if level.label_for_charts != "another province":
                continue
            m, u = level.m_probability, level.u_probability
            if m is None or u is None or not 0 < u <= 1:
                continue
            if m <= 0 or math.log2(m / u) < MOVED_PROVINCE_WEIGHT:
                level.m_probability = min(1.0, u * 2**MOVED_PROVINCE_WEIGHT)
                notes.append(
                    f"'another province' bounded at {MOVED_PROVINCE_WEIGHT:.1f} "
                    f"(trained m {m:.2g}, u {u:.2g})"
                )
    return notes


def _level(linker: Linker, comparison: str, label: str) -> Any:
    for c in linker._settings_obj.comparisons:
        if c.output_column_name == comparison:
            for level in c.comparison_levels:
                if level.label_for_charts == label:
                    return level
    return None


def same_child_u(linker: Linker) -> list[str]:
    """u of "same KK number and date of birth" as the product of u(same KK) and u(same date of birth).

    Two different people share a family card and, independently, a birthday: random sampling almost never
    draws such a pair (only twins are one), so its u is estimated from a handful of pairs or none; among
    different people, family and birthday are close to independent (siblings are born on other days).
    """
    child = _level(linker, "family_id", "same KK number and date of birth (same child of the family)")
    family = _level(linker, "family_id", "same KK number (same family)")
    dob = _level(linker, "dob", "same date of birth")
    if child is None or family is None or dob is None:
        return []
    u_family = (family.u_probability or 0.0) + (child.u_probability or 0.0)
    u_dob = dob.u_probability or 0.0
    if not (0 < u_family <= 1 and 0 < u_dob <= 1):
        return []
    before = child.u_probability
    child.u_probability = u_family * u_dob
    return [
        f"'same KK and date of birth' u from u(KK) x u(date): {child.u_probability:.2g} (sampled {before})"
    ]


def family_alone_is_not_identity(pairs: pa.Table, *, keep_threshold: float) -> pa.Table:
    """A shared KK number is one family, not one person: it may strengthen a pair that already leans to
    the same person, never carry one that does not. Where the rest of the evidence (prior included) is
    against, the KK's weight is taken out again; where the person's own fields (name, date of birth, NIK,
    identifiers) weigh nothing or against, so are the household's (a child and its mother share KK,
    address and postcode). Pairs that fall below `keep_threshold` are dropped."""
    weight = pc.fill_null(pairs.column("match_weight"), 0.0)
    family = pc.fill_null(pairs.column("mw_family_id"), 0.0)
    person = _weights(pairs, lambda c: c in PERSON_COMPARISONS or c.removeprefix("id_").isdigit())
    household = _weights(pairs, lambda c: c in HOUSEHOLD_COMPARISONS)
    shared = pc.greater(family, 0.0)
    if "dob" in pairs.column_names or "dob_l" in pairs.column_names:
        # "Same KK and same birth date" (the family comparison's top level, 2) names one child of the family
        # (twins are kept apart in clustering, `sources.twins_apart`): that is the person's evidence.
        same_child = pc.equal(pc.fill_null(pairs.column("gamma_family_id"), -1), SAME_CHILD_LEVEL)
        shared = pc.and_(shared, pc.invert(same_child))
    only_family = pc.and_(shared, pc.less_equal(person, 0.0))
    undo = pc.and_(shared, pc.or_(pc.less(pc.subtract(weight, family), 0.0), only_family))
    removed = pc.if_else(only_family, pc.add(family, household), family)
    new_weight = pc.if_else(undo, pc.subtract(weight, removed), weight)
    odds = pc.power(2.0, new_weight)
    new_probability = pc.if_else(undo, pc.divide(odds, pc.add(odds, 1.0)), pairs.column("match_probability"))
    pairs = pairs.set_column(pairs.schema.get_field_index("match_weight"), "match_weight", new_weight)
    pairs = pairs.set_column(
        pairs.schema.get_field_index("match_probability"), "match_probability", new_probability
    )
    pairs = pairs.set_column(
        pairs.schema.get_field_index("mw_family_id"), "mw_family_id", pc.if_else(undo, 0.0, family)
    )
    for name in pairs.column_names:  # the explanation shows what was taken out as weighing nothing
        if name.startswith("mw_") and name[3:].removeprefix("tf_adj_") in HOUSEHOLD_COMPARISONS:
            index = pairs.schema.get_field_index(name)
            pairs = pairs.set_column(index, name, pc.if_else(only_family, 0.0, pairs.column(name)))
    return pairs.filter(pc.greater_equal(pairs.column("match_probability"), keep_threshold))


def train(
    api: DatabaseAPISubClass,
    frames: Sequence[SplinkDataFrame],
    columns: set[str],
    *,
    link_type: LinkType,
    options: RunOptions,
    notes: list[str],
    labels: pa.Table | None = None,
    timings: dict[str, float] | None = None,
) -> Linker:
    """A linker over `frames` (feature tables already in the engine), trained as the module says; the
    seconds of each step go into `timings` when given."""
    timings = timings if timings is not None else {}
    if not model.comparisons(columns):
        # Splink would build a scoring query with no terms and fail deep inside: say what is missing.
        raise InvalidInput(
            "no mapped column holds values to compare two records on (an empty column counts as absent): "
            "check that the mapped columns are filled in"
        )
    started = time.perf_counter()
    linker = Linker(
        list(frames) if len(frames) > 1 else frames[0],
        model.settings(columns, link_type=link_type),
        log_level=logging.ERROR,  # Splink's training chatter; what matters is in `notes`
    )
    deterministic = model.deterministic_rules(columns)
    if deterministic:
        try:
            linker.training.estimate_probability_two_random_records_match(
                deterministic, recall=options.recall
            )
        except SplinkException as exc:  # e.g. no near-certain pairs at all in a tiny file
            notes.append(f"prior left at its default: {exc}")
        prior = linker._settings_obj._probability_two_random_records_match
        if not 0.0 < prior < 1.0:
            # No near-certain pair at all (a small file) estimates 0, whose match weight is -infinity:
            # Splink's scoring then fails on log(0). Keep Splink's own default instead.
            linker._settings_obj._probability_two_random_records_match = DEFAULT_PRIOR
            notes.append(f"no near-certain pairs to estimate the prior from; left at {DEFAULT_PRIOR}")
    timings["train: prior"] = time.perf_counter() - started
    started = time.perf_counter()
    linker.training.estimate_u_using_random_sampling(max_pairs=options.max_u_pairs, seed=options.seed)
    timings["train: u"] = time.perf_counter() - started
    started = time.perf_counter()
    for rule in model.training_rules(columns):
        # Splink has no public way to undo a failed EM: keep its settings to put back.
        before = copy.deepcopy(linker._settings_obj)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                estimate_without_term_frequencies=True,
                max_pairs=options.max_em_pairs,
                # The prior comes from the near-certain pairs above; EM on a block where a field
                # separates perfectly (every pair of a family sharing its KK) would drive it to ~1e-40.
                fix_probability_two_random_records_match=True,
            )
        except SplinkException as exc:
            linker._settings_obj = (
                before  # a block with no pairs at all leaves the settings without comparisons
            )
            notes.append(f"one training block gave too few pairs and was skipped: {exc}")
        except ValueError as exc:
            # A level never seen among a block's pairs (every pair of an identifier's block sharing
            # its KK, say) drives an m to zero, which Splink refuses: that block teaches nothing.
            linker._settings_obj = before  # the failed EM had already overwritten the prior and some m
            notes.append(f"one training block left a level unobserved and was skipped: {exc}")
    if labels is not None and labels.num_rows >= MIN_LABELS_FOR_M:
        labelled = api.register(labels, dataset_display_name="labels")
        linker.training.estimate_m_from_pairwise_labels(labelled)  # type: ignore[no-untyped-call]
        notes.append(f"m re-estimated from {labels.num_rows} reviewed pairs")
    timings["train: m (EM)"] = time.perf_counter() - started
    return linker


def score(
    tables: Sequence[pa.Table],
    *,
    link_type: LinkType,
    options: RunOptions | None = None,
    labels: pa.Table | None = None,
) -> Scored:
    """Train on `tables` and score every blocked pair; one table deduplicates, two link."""
    options = options or RunOptions()
    timings: dict[str, float] = {}
    notes: list[str] = []
    columns = set.intersection(*(present_columns(t) for t in tables))
    started = time.perf_counter()
    api = db_api(options.engine, options.resources)
    # A name of this run's own: Spark's temporary views outlive a run in the process-wide session (see
    # csvscore.predict); Splink writes the display name, `input_N`, into `source_dataset`.
    run = uuid.uuid4().hex
    frames = [
        api.register(t, table_name=f"jaga_{run}_input_{i}", dataset_display_name=f"input_{i}")
        for i, t in enumerate(tables)
    ]
    timings["register"] = time.perf_counter() - started

    started = time.perf_counter()
    linker = train(api, frames, columns, link_type=link_type, options=options, notes=notes, labels=labels)
    timings["train"] = time.perf_counter() - started

    if "region_province" in columns:
        notes += bound_moves(linker)
    if {"family_id", "dob"} <= columns:
        notes += same_child_u(linker)
    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=options.keep_threshold)
    pairs = predictions.as_pyarrow_table()  # type: ignore[no-untyped-call]
    if "gamma_family_id" in pairs.column_names:
        pairs = family_alone_is_not_identity(pairs, keep_threshold=options.keep_threshold)
    timings["predict"] = time.perf_counter() - started
    return Scored(
        pairs=pairs,
        model=linker.misc.save_model_to_json(),
        levels=level_labels(linker),
        timings=timings,
        notes=notes,
    )
