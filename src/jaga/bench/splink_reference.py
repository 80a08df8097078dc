"""Splink configured as its own documentation recommends: the reference `jaga bench link` measures against.

Taken from Splink's worked examples, adapted to the Splink 5 API and to each data set's columns:

- FEBRL (docs/demos/examples/duckdb/febrl3 and febrl4): `NameComparison` with term-frequency adjustments
  on given name and surname, `DateOfBirthComparison` (YYYYMMDD strings, invalid dates as null),
  Damerau-Levenshtein at 1 and 2 on the social security id and on the postcode (TF on the postcode), exact
  street number with TF. Like the docs, the other address columns are left out ("strongly correlated with
  postcode"). Blocking: febrl3's rules for deduplication, febrl4's for linking. The prior from their
  deterministic rules at the recall they assume (0.9 and 0.8), u from 1e7 random pairs (the docs
  "generally recommend 1e7 or more"), m by EM on date-of-birth and postcode blocks.
- jaga synth (docs/demos/examples/duckdb/deduplicate_50k_synthetic): the same approach on a person file of
  scale: blocking rules that pair names, dates and places (and, as the example does with its postcode,
  a prefix of the place code: the regency) two at a time, names with TF, exact sex, the region code at
  its district (with TF), regency and province levels as `PostcodeComparison` compares a postcode's, the
  NIK with Levenshtein at 1 and 2, the mother's name as a name. Trained as the docs' EM guidance asks:
  each EM pass estimates m only for the columns its block leaves free, so the blocks must leave the
  names free and hold mostly true pairs. The example's
  first-name-and-surname block does neither here (mothers and same-named daughters, the placeholder
  newborns "By. Ny. Eka" of one mother): the m/u values it gave showed an exact date of birth with m 0.03,
  i.e. EM had learnt "same name" as the match class. So m comes from EM on date-of-birth, NIK and
  regency-plus-birth-year blocks, and the prior from the one rule that is near-certain here, NIK equality,
  at recall 0.35 (58 % of the records carry a NIK, so about a third of the true pairs have one on both
  sides).

Nothing here is tuned on the truth: the settings are the docs' own, changed for synth only where the docs'
diagnostics (m/u values, column profile) or the columns' structure called for it (docs/linkage.md tells
the steps and what each scored).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import ColumnExpression, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from jaga.linkage.engines import Engine, EngineResources, db_api, duckdb_api
from jaga.linkage.model import LinkType

Rule = BlockingRuleCreator | str
PredictionRule = BlockingRuleCreator | dict[str, Any]
FEBRL_COLUMNS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
MAX_U_PAIRS = 1e7  # "We generally recommend setting max pairs higher (e.g. 1e7 or more)" (febrl4)


@dataclass(frozen=True)
class Reference:
    """A Splink model as the docs build it, and how they train it."""

    settings: SettingsCreator
    deterministic_rules: list[Rule]
    recall: float
    em_rules: list[Rule]
    max_u_pairs: float = MAX_U_PAIRS
    notes: list[str] = field(default_factory=list)


def febrl(link_type: LinkType) -> Reference:
    swapped = "l.given_name = r.surname and l.surname = r.given_name"
    if link_type == "dedupe_only":  # febrl3
        blocking: list[PredictionRule] = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        deterministic: list[Rule] = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            f"{swapped} and l.date_of_birth = r.date_of_birth",
        ]
        recall = 0.9
    else:  # febrl4
        blocking = [
            block_on("given_name", "surname"),
            CustomRule(swapped, sql_dialect="duckdb"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
        recall = 0.8
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[  # febrl4's "detailed model"
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    return Reference(settings, deterministic, recall, [block_on("date_of_birth"), block_on("postcode")])


def febrl_table(records: Iterable[dict[str, Any]]) -> pa.Table:
    """FEBRL rows as the docs prepare them: every column a trimmed string, blanks missing."""

    def clean(value: Any) -> str | None:
        text = "" if value is None or value != value else str(value).strip()  # NaN != NaN
        return text or None

    rows = [{"unique_id": r["rec_id"], **{c: clean(r.get(c)) for c in FEBRL_COLUMNS}} for r in records]
    return pa.Table.from_pylist(
        rows, schema=pa.schema([(c, pa.string()) for c in ("unique_id", *FEBRL_COLUMNS)])
    )


def region_comparison() -> cl.CustomComparison:
    """A Kemendagri code is hierarchical (province 2 digits, regency 4, district 6), like the UK postcode
    that the docs' `PostcodeComparison` compares at its exact, district and area levels; a facility's
    district and a home address's often differ within one regency."""
    region = ColumnExpression("region")
    return cl.CustomComparison(
        [
            cll.NullLevel(region),
            cll.ExactMatchLevel(region, term_frequency_adjustments=True),
            cll.ExactMatchLevel(region.substr(1, 4)).configure(label_for_charts="Same regency"),
            cll.ExactMatchLevel(region.substr(1, 2)).configure(label_for_charts="Same province"),
            cll.ElseLevel(),
        ],
        output_column_name="region",
    )


def synth() -> Reference:
    blocking: list[PredictionRule] = [
        block_on("nik"),
        block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("region", "first_name"),
        block_on("region", "surname"),
        block_on("dob", "region"),
        # The example pairs a prefix of its hierarchical place code (substr(postcode_fake,1,3)) with dob and
        # each name; a Kemendagri code's prefix of 4 digits is the regency.
        block_on("substr(region,1,4)", "dob"),
        block_on("substr(region,1,4)", "first_name"),
        block_on("substr(region,1,4)", "surname"),
        block_on("mother_name", "dob"),
        block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.NameComparison("full_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.LevenshteinAtThresholds("nik", [1, 2]),
            cl.ExactMatch("sex"),
            region_comparison(),
            cl.NameComparison("mother_name").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=True,
    )
    deterministic: list[Rule] = [block_on("nik")]  # the only near-certain rule on these columns
    em_rules: list[Rule] = [  # none fixes a name, so every name comparison gets its m estimated
        block_on("dob"),
        block_on("nik"),
        block_on("substr(region,1,4)", "substr(dob,1,4)"),
    ]
    return Reference(settings, deterministic, 0.35, em_rules)


def _lower(text: str | None) -> str | None:
    value = re.sub(r"\s+", " ", (text or "").strip().lower())
    return value or None


# "By. Ny. Eka", "baby of Mrs Eka": a facility's placeholder for an unnamed newborn. Splink's column profile
# would show "by." as the most frequent first name (counted directly; the chart was not run); the docs
# ask for such stand-ins to be nulls, not values.
PLACEHOLDER = re.compile(r"^by\.? ny\.? ")


def synth_table(people: Iterable[dict[str, Any]]) -> pa.Table:
    """jaga synth person rows as a Splink user would prepare them: lower-cased names, placeholder names of
    newborns as missing, a first name and a surname split off the full name (none for a single name), the
    record's region code."""
    rows = []
    for p in people:
        name = _lower(p.get("full_name"))
        if name and PLACEHOLDER.match(name):
            name = None
        tokens = name.split() if name else []
        rows.append(
            {
                "unique_id": p["id"],
                "full_name": name,
                "first_name": tokens[0] if tokens else None,
                "surname": tokens[-1] if len(tokens) > 1 else None,
                "dob": p.get("birth_date") or None,
                "sex": p.get("sex") or None,
                "nik": p.get("nik") or None,
                "region": p.get("address_region_code") or p.get("region_code") or None,
                "mother_name": _lower(p.get("mother_name")),
            }
        )
    columns = (
        "unique_id",
        "full_name",
        "first_name",
        "surname",
        "dob",
        "sex",
        "nik",
        "region",
        "mother_name",
    )
    return pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in columns]))


def predict(
    tables: Sequence[pa.Table],
    reference: Reference,
    *,
    engine: Engine,
    resources: EngineResources | None = None,
    seed: int = 42,
    keep_threshold: float = 0.2,
) -> pa.Table:
    """Train as the docs do and score the blocked pairs: `unique_id_l`, `unique_id_r`, `match_probability`."""
    api = db_api(engine, resources)
    frames = [api.register(t, dataset_display_name=f"input_{i}") for i, t in enumerate(tables)]
    linker = Linker(frames if len(frames) > 1 else frames[0], reference.settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        reference.deterministic_rules, recall=reference.recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=reference.max_u_pairs, seed=seed)
    for rule in reference.em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=keep_threshold)
    return predictions.as_pyarrow_table()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Blocking:
    pairs: int  # distinct pairs the blocking rules bring in (the pairs a model scores)
    true_pairs: int
    true_pairs_kept: int

    @property
    def recall(self) -> float:
        """Share of the true pairs that at least one blocking rule brings in (1 when there are none)."""
        return self.true_pairs_kept / self.true_pairs if self.true_pairs else 1.0


def measure_blocking(
    tables: Sequence[pa.Table], settings: SettingsCreator, true_pairs: Iterable[tuple[str, str]]
) -> Blocking:
    """Run `settings`' prediction blocking rules (on DuckDB) and count the pairs they bring in and the true
    pairs among them. Splink's own blocking is used, so the count is what `predict` would score."""
    api = duckdb_api()
    frames = [api.register(t, dataset_display_name=f"input_{i}") for i, t in enumerate(tables)]
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=logging.ERROR)
    blocked = linker.inference.deterministic_link().as_duckdbpyrelation()
    listed = [(min(x, y), max(x, y)) for x, y in true_pairs]
    truth = pa.table(
        {"a": [a for a, _ in listed], "b": [b for _, b in listed]},
        schema=pa.schema([("a", pa.string()), ("b", pa.string())]),
    )
    con = api.duckdb_con
    con.register("bench_blocked", blocked)
    con.register("bench_truth", truth)
    con.execute(
        "create temp table bench_pairs as select distinct least(unique_id_l, unique_id_r) as a, "
        "greatest(unique_id_l, unique_id_r) as b from bench_blocked"
    )
    counts = con.execute(
        "with truth as (select distinct a, b from bench_truth) "
        "select (select count(*) from bench_pairs), (select count(*) from truth), "
        "(select count(*) from truth semi join bench_pairs using (a, b))"
    ).fetchone()
    assert counts is not None
    return Blocking(pairs=int(counts[0]), true_pairs=int(counts[1]), true_pairs_kept=int(counts[2]))
