"""jaga's linkage model: which fields are compared, how, and how pairs are found, in Splink's terms.

The same settings run on DuckDB and on Spark: comparisons use Splink's level library, and the few custom
SQL conditions are written in DuckDB's dialect and translated by Splink (sqlglot) for Spark. Only the
fields a dataset actually holds are compared, so a spreadsheet without phone numbers gets no phone
comparison rather than one that is always "missing".
"""

from __future__ import annotations

from typing import Any, Literal

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_library import CustomComparison

LinkType = Literal["dedupe_only", "link_only", "link_and_dedupe"]
DUCKDB = "duckdb"


def _name() -> ComparisonCreator:
    # Ordered from the strongest agreement down. Exact agreement on the spelling-canonical form is
    # weighted by how common that name is (a "Siti Aminah" match says less than a "Wahyu Kinasih" one);
    # the token-set and phonetic levels catch reordered names and spelling drift; the shared-first-name
    # level is where birth-order and other common tokens no longer count (they are not distinctive).
    return CustomComparison(
        output_column_name="name",
        comparison_description="name (Indonesian spelling, order and title aware)",
        comparison_levels=[
            cll.NullLevel("name_canon").configure(label_for_charts="no name on one side"),
            cll.ExactMatchLevel("name_canon").configure(
                tf_adjustment_column="name_canon", label_for_charts="same name"
            ),
            cll.ExactMatchLevel("name_sorted").configure(label_for_charts="same names, other order"),
            cll.ExactMatchLevel("name_phonetic").configure(label_for_charts="names sound alike"),
            cll.JaroWinklerLevel("name_canon", 0.92).configure(label_for_charts="names differ by a typo"),
            cll.ArrayIntersectLevel("name_tokens", 2).configure(label_for_charts="two names in common"),
            cll.ExactMatchLevel("name_first").configure(
                tf_adjustment_column="name_first", label_for_charts="same first distinctive name"
            ),
            cll.ArrayIntersectLevel("name_tokens", 1).configure(label_for_charts="one name in common"),
            cll.ElseLevel().configure(label_for_charts="different names"),
        ],
    )


def _dob() -> ComparisonCreator:
    swapped = (
        "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
        "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
    )
    return CustomComparison(
        output_column_name="dob",
        comparison_description="date of birth (given, or encoded in the NIK)",
        comparison_levels=[
            cll.NullLevel("dob").configure(label_for_charts="no date of birth on one side"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="same date of birth"),
            cll.CustomLevel(swapped, "day and month swapped", base_dialect_str=DUCKDB),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="dates differ by one digit"),
            cll.CustomLevel(
                "substr(dob_l, 1, 7) = substr(dob_r, 1, 7)", "same year and month", base_dialect_str=DUCKDB
            ),
            cll.CustomLevel(
                "abs(cast(dob_year_l AS INTEGER) - cast(dob_year_r AS INTEGER)) <= 1",
                "within a year",
                base_dialect_str=DUCKDB,
            ),
            cll.ElseLevel().configure(label_for_charts="different dates of birth"),
        ],
    )


def _exact(column: str, label: str, *, typo: bool = False, tf: bool = False) -> ComparisonCreator:
    exact = cll.ExactMatchLevel(column).configure(label_for_charts=f"same {label}")
    if tf:
        exact = exact.configure(tf_adjustment_column=column)
    levels: list[Any] = [cll.NullLevel(column).configure(label_for_charts=f"no {label} on one side"), exact]
    if typo:
        levels.append(
            cll.LevenshteinLevel(column, 1).configure(label_for_charts=f"{label} differs by a digit")
        )
    levels.append(cll.ElseLevel().configure(label_for_charts=f"different {label}"))
    return CustomComparison(output_column_name=column, comparison_description=label, comparison_levels=levels)


def _identifier(column: str, label: str) -> ComparisonCreator:
    # One typo (a digit or letter changed, added or dropped) and two neighbours swapped are the ways a
    # number is miscopied; a swap is two edits to Levenshtein and one to Damerau-Levenshtein.
    return CustomComparison(
        output_column_name=column,
        comparison_description=f"{label} (exact, one typo, two characters swapped)",
        comparison_levels=[
            cll.NullLevel(column).configure(label_for_charts=f"no {label} on one side"),
            cll.ExactMatchLevel(column).configure(label_for_charts=f"same {label}"),
            cll.LevenshteinLevel(column, 1).configure(label_for_charts=f"{label} differs by one typo"),
            cll.DamerauLevenshteinLevel(column, 1).configure(
                label_for_charts=f"{label} has two characters swapped"
            ),
            cll.ElseLevel().configure(label_for_charts=f"different {label}"),
        ],
    )


def identifier_columns(columns: set[str]) -> list[str]:
    """The generic identifier columns: a non-NIK national id, then `id_1`, `id_2` ... in order."""
    numbered = sorted(
        (c for c in columns if c.startswith("id_") and c[3:].isdigit()), key=lambda c: int(c[3:])
    )
    return (["id_national"] if "id_national" in columns else []) + numbered


def _identifier_label(column: str) -> str:
    return "national id (not a NIK)" if column == "id_national" else f"identifier {column[3:]}"


def _postcode() -> ComparisonCreator:
    return CustomComparison(
        output_column_name="postcode",
        comparison_description="postcode (exact, one digit off, same area)",
        comparison_levels=[
            cll.NullLevel("postcode").configure(label_for_charts="no postcode on one side"),
            cll.ExactMatchLevel("postcode").configure(
                tf_adjustment_column="postcode", label_for_charts="same postcode"
            ),
            cll.LevenshteinLevel("postcode", 1).configure(label_for_charts="postcodes differ by a digit"),
            # Postcodes are hierarchical (Indonesia's 5 digits, Australia's 4): the first three name an area.
            cll.CustomLevel(
                "substr(postcode_l, 1, 3) = substr(postcode_r, 1, 3)",
                "same postcode area",
                base_dialect_str=DUCKDB,
            ),
            cll.ElseLevel().configure(label_for_charts="different postcodes"),
        ],
    )


def _place(column: str, label: str) -> ComparisonCreator:
    # A locality or state as the file writes it, weighted by how common it is (a shared "Sydney" says
    # less than a shared "Willaroo").
    return CustomComparison(
        output_column_name=column,
        comparison_description=f"{label} as written",
        comparison_levels=[
            cll.NullLevel(column).configure(label_for_charts=f"no {label} on one side"),
            cll.ExactMatchLevel(column).configure(
                tf_adjustment_column=column, label_for_charts=f"same {label}"
            ),
            cll.JaroWinklerLevel(column, 0.9).configure(label_for_charts=f"{label} spelt alike"),
            cll.ElseLevel().configure(label_for_charts=f"different {label}"),
        ],
    )


def _address(*, tokens: bool) -> ComparisonCreator:
    levels: list[Any] = [
        cll.NullLevel("address").configure(label_for_charts="no address on one side"),
        cll.ExactMatchLevel("address").configure(
            tf_adjustment_column="address", label_for_charts="same address"
        ),
    ]
    if tokens:
        # Token by token, so "6 Tullaroop St, Willaroo" and "Willaroo, 6 Tullaroop Street" agree and a
        # misspelt street keeps its number and locality; street-type words are not tokens.
        levels += [
            cll.ArrayIntersectLevel("address_tokens", 3).configure(
                label_for_charts="three address words in common"
            ),
            cll.ArrayIntersectLevel("address_tokens", 2).configure(
                label_for_charts="two address words in common"
            ),
        ]
    levels += [
        cll.JaroWinklerLevel("address", 0.9).configure(label_for_charts="addresses close"),
    ]
    if tokens:
        levels.append(
            cll.ArrayIntersectLevel("address_tokens", 1).configure(
                label_for_charts="one address word in common"
            )
        )
    levels.append(cll.ElseLevel().configure(label_for_charts="different addresses"))
    return CustomComparison(
        output_column_name="address",
        comparison_description="address (whole and by word)",
        comparison_levels=levels,
    )


def _family(*, with_dob: bool) -> ComparisonCreator:
    # Siblings and parents share a KK: agreement weighs for, but `link.py` never lets it decide alone.
    # Within one family only one child (or twins) has a given birth date: a KK with the birth date is far
    # stronger than the two apart, and it is what finds a child renamed and moved.
    levels: list[Any] = [cll.NullLevel("family_id").configure(label_for_charts="no KK number on one side")]
    if with_dob:
        levels.append(
            cll.CustomLevel(
                "family_id_l = family_id_r AND dob_l = dob_r",
                "same KK number and date of birth (same child of the family)",
                base_dialect_str=DUCKDB,
            )
        )
    levels += [
        cll.ExactMatchLevel("family_id").configure(label_for_charts="same KK number (same family)"),
        cll.ElseLevel().configure(label_for_charts="different KK numbers"),
    ]
    return CustomComparison(
        output_column_name="family_id",
        comparison_description="family card (KK) number",
        comparison_levels=levels,
    )


def _region(*, with_nik: bool) -> ComparisonCreator:
    levels: list[Any] = [
        cll.NullLevel("region_province").configure(label_for_charts="no region on one side"),
        cll.ExactMatchLevel("region_district").configure(label_for_charts="same district"),
        cll.ExactMatchLevel("region_regency").configure(label_for_charts="same regency or city"),
    ]
    if with_nik:
        # A NIK keeps the regency where it was first issued: a mother who has moved still "comes from"
        # there, so one record's NIK pointing at the other record's regency is evidence of its own.
        levels.append(
            cll.CustomLevel(
                "nik_regency_l = region_regency_r OR nik_regency_r = region_regency_l",
                "NIK issued in the other record's regency",
                base_dialect_str=DUCKDB,
            )
        )
    levels += [
        cll.ExactMatchLevel("region_province").configure(label_for_charts="same province"),
        cll.ElseLevel().configure(label_for_charts="another province"),
    ]
    return CustomComparison(
        output_column_name="region",
        comparison_description="region (Kemendagri code hierarchy, and where the NIK was issued)",
        comparison_levels=levels,
    )


def _mother(columns: set[str]) -> ComparisonCreator:
    by_name = "mother_canon" in columns
    levels: list[Any] = []
    if "mother_id" in columns:
        # The mother's NIK on both children's records: the same mother, whatever her name is written as.
        missing = "(mother_id_l IS NULL OR mother_id_r IS NULL)"
        if by_name:
            missing = f"(mother_canon_l IS NULL OR mother_canon_r IS NULL) AND {missing}"
        levels += [
            cll.CustomLevel(missing, "no mother named on one side", base_dialect_str=DUCKDB).configure(
                is_null_level=True
            ),
            cll.ExactMatchLevel("mother_id").configure(label_for_charts="same mother's NIK"),
        ]
    else:
        levels.append(cll.NullLevel("mother_canon").configure(label_for_charts="no mother named on one side"))
    if by_name:
        levels += [
            cll.ExactMatchLevel("mother_canon").configure(label_for_charts="same mother"),
            cll.JaroWinklerLevel("mother_canon", 0.9).configure(label_for_charts="mothers' names close"),
            cll.ExactMatchLevel("mother_first").configure(label_for_charts="mothers share a first name"),
        ]
    levels.append(cll.ElseLevel().configure(label_for_charts="different mothers"))
    return CustomComparison(
        output_column_name="mother",
        comparison_description="mother (her NIK, her name)",
        comparison_levels=levels,
    )


def comparisons(columns: set[str]) -> list[ComparisonCreator | dict[str, Any]]:
    """The comparisons for the feature columns that hold data."""
    chosen: list[ComparisonCreator | dict[str, Any]] = []
    if "name_canon" in columns:
        chosen.append(_name())
    if "dob" in columns:
        chosen.append(_dob())
    if "nik" in columns:
        chosen.append(_exact("nik", "NIK", typo=True))
    chosen += [_identifier(column, _identifier_label(column)) for column in identifier_columns(columns)]
    if "family_id" in columns:
        chosen.append(_family(with_dob="dob" in columns))
    if "sex" in columns:
        chosen.append(_exact("sex", "sex"))
    if "region_province" in columns:
        chosen.append(_region(with_nik="nik_regency" in columns))
    if "mother_canon" in columns or "mother_id" in columns:
        chosen.append(_mother(columns))
    if "phone" in columns:
        chosen.append(_exact("phone", "phone"))
    if "postcode" in columns:
        chosen.append(_postcode())
    for column in ("locality", "state"):
        if column in columns:
            chosen.append(_place(column, column))
    if "address" in columns:
        chosen.append(_address(tokens="address_tokens" in columns))
    return chosen


# `blocks.KEYS` in the order the rules they stand for come in.
_KEYS_POSTCODE = (
    "blk_postcode_first",
    "blk_postcode_last",
    "blk_postcode_first_year",
    "blk_postcode_last_year",
)
_KEYS_DOB = ("blk_first_dob", "blk_last_dob", "blk_first_dob_end", "blk_last_dob_end")


def blocking_rules(columns: set[str]) -> list[BlockingRuleCreator | dict[str, Any]]:
    """Which pairs are scored at all: any one of these agreeing brings a pair in.

    Chosen for recall under Indonesian noise (a swapped date is caught by the name rules, a misspelt
    name by the date rules, a placeholder newborn by its mother and birth date) while keeping the number
    of pairs near-linear in the records (each rule pairs few records at national scale).
    """
    rules: list[BlockingRuleCreator | dict[str, Any]] = []
    has = columns.__contains__
    if has("nik"):
        rules.append(block_on("nik"))
    rules += [block_on(column) for column in identifier_columns(columns)]
    if has("family_id"):
        rules.append(block_on("family_id"))  # a family is a handful of people: a small block
    if has("postcode"):
        # Where there is no region code, the postcode is the place: with a name or a date it keeps recall
        # when the other of the two is miswritten.
        # A postcode holds thousands of people and a common first name repeats within it: with one name
        # alone these two rules brought in 28 of the 31 million pairs scored on 1M records (FEBRL-like, see
        # docs/linkage.md "Scale"). The other name's initial cuts that by five; a misspelt or swapped
        # name seldom loses its first letter.
        if has("blk_postcode_first"):  # the same two rules, large blocks split (`blocks.py`)
            rules += [block_on(key) for key in _KEYS_POSTCODE if has(key)]
        elif has("name_first") and has("name_last"):
            rules += [
                block_on("postcode", "name_first", "substr(name_last, 1, 1)"),
                block_on("postcode", "name_last", "substr(name_first, 1, 1)"),
            ]
        else:
            rules += [block_on("postcode", c) for c in ("name_first", "name_last") if has(c)]
        if has("dob"):
            rules.append(block_on("postcode", "dob"))
    if has("name_phonetic") and has("dob_year") and has("region_regency"):
        rules.append(block_on("name_phonetic", "dob_year", "region_regency"))
    elif has("name_phonetic") and has("dob"):
        rules.append(block_on("name_phonetic", "dob"))
    if has("blk_first_dob"):  # the same two rules, large blocks split (`blocks.py`)
        rules += [block_on(key) for key in _KEYS_DOB if has(key)]
    else:
        if has("name_first") and has("dob"):
            rules.append(block_on("name_first", "dob"))
        if has("name_last") and has("dob"):
            rules.append(block_on("name_last", "dob"))
    if has("name_sorted") and has("region_regency") and has("name_first") and has("name_last"):
        # Reordered names (Batak and Chinese-Indonesian surnames first) need two distinctive names: on a
        # mononym this rule pairs every "Enok" of a regency, half of all pairs scored at national scale,
        # for matches the date rules already bring in.
        rules.append(
            CustomRule(
                "l.name_sorted = r.name_sorted AND l.region_regency = r.region_regency "
                "AND l.name_first <> l.name_last",
                sql_dialect=DUCKDB,
            )
        )
    if has("name_first") and has("name_last") and has("region_regency"):
        rules.append(block_on("name_first", "name_last", "region_regency"))
    if has("dob") and has("region_district"):
        rules.append(block_on("dob", "region_district"))
    if has("dob") and has("sex") and has("region_regency"):
        # A newborn recorded unnamed at the clinic and named at the civil registry shares little else.
        rules.append(block_on("dob", "sex", "region_regency"))
    if has("name_first") and has("region_district"):
        rules.append(block_on("name_first", "region_district"))
    if has("mother_canon") and has("dob"):
        rules.append(block_on("mother_canon", "dob"))
    if has("nik_regency") and has("dob") and has("region_regency"):
        # A newborn recorded where it was born or taken, against its registration at home: the home is where
        # the NIK (its own, or its mother's) was issued. Both orientations: Splink keeps l < r.
        rules += [
            CustomRule(
                f"l.dob = r.dob AND l.{a} = r.{b} AND l.sex = r.sex",
                sql_dialect=DUCKDB,
            )
            for a, b in (("nik_regency", "region_regency"), ("region_regency", "nik_regency"))
        ]
    if has("mother_id") and has("dob"):
        rules.append(block_on("mother_id", "dob"))  # a newborn's records, named or not, by its mother's NIK
    if has("phone"):
        rules.append(block_on("phone"))
    if not rules and has("name_sorted"):
        rules.append(block_on("name_sorted"))
    return rules


def settings(columns: set[str], *, link_type: LinkType) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons(columns),
        blocking_rules_to_generate_predictions=blocking_rules(columns),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


def training_rules(columns: set[str]) -> list[BlockingRuleCreator]:
    """EM blocks: each leaves other comparisons free to be estimated (dates under names, names under
    dates and regions, everything else under the NIK)."""
    rules: list[BlockingRuleCreator] = []
    if {"dob", "region_district"} <= columns:
        rules.append(block_on("dob", "region_district"))
    elif "dob" in columns:
        rules.append(block_on("dob"))
    if {"name_first", "name_last"} <= columns:
        rules.append(block_on("name_first", "name_last"))
    elif "name_sorted" in columns:
        rules.append(block_on("name_sorted"))
    if "nik" in columns:
        rules.append(block_on("nik"))
    rules += [block_on(column) for column in identifier_columns(columns)]
    return rules


def deterministic_rules(columns: set[str]) -> list[str | BlockingRuleCreator]:
    """Pairs almost surely the same person, for estimating how many pairs match at all."""
    rules: list[str | BlockingRuleCreator] = []
    if {"nik", "dob"} <= columns:
        rules.append(block_on("nik", "dob"))
    rules += [block_on(column, "dob") for column in identifier_columns(columns) if "dob" in columns]
    if {"name_canon", "dob"} <= columns:
        rules.append(block_on("name_canon", "dob"))
    if {"mother_canon", "dob", "sex"} <= columns:
        rules.append(block_on("mother_canon", "dob", "sex"))
    return rules
