"""Plain Splink on a `jaga bench link-scale` file, as its docs recommend, run as its own process:
`python -m jaga.bench.scale_reference FILE.csv PAIRS.parquet [LIMIT]`.

The FEBRL "detailed model" of `splink_reference.febrl` (names with term frequencies, date of birth,
Damerau-Levenshtein on the social security number and postcode, street number), with the data loaded by
DuckDB as the docs do, a DuckDB memory limit, and blocking rules of the docs' large-data example
(deduplicate_50k_synthetic: pairs of columns, not one column alone, whose blocks grow with the file) in
place of febrl3's single-column rules, which at a million records would pair every two people sharing a
given name. u from 1e7 random pairs, m by EM on two blocks, the prior from febrl3's deterministic rules.
"""

from __future__ import annotations

import logging
import sys
import tempfile

import duckdb
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from jaga.bench import splink_reference


def settings() -> SettingsCreator:
    detailed = splink_reference.febrl("dedupe_only").settings
    return SettingsCreator(
        unique_id_column_name="unique_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "given_name"),
            block_on("soc_sec_id"),
        ],
        comparisons=detailed.comparisons,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run(source: str, out: str, memory_limit: str = "2GB") -> int:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/jaga-duckdb'")
    columns = ", ".join(
        f"nullif(trim({c}), '') AS {c}" for c in splink_reference.FEBRL_COLUMNS if c != "address_2"
    )
    con.execute(
        f"CREATE TABLE people AS SELECT rec_id AS unique_id, {columns} "
        "FROM read_csv(?, header = true, all_varchar = true)",
        [source],
    )
    linker = Linker(DuckDBAPI(connection=con).register("people"), settings(), log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=42)
    for rule in (block_on("date_of_birth", "postcode"), block_on("given_name", "surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    con.execute(
        f"COPY (SELECT unique_id_l, unique_id_r, match_probability FROM {predictions.physical_name}) "
        "TO ? (FORMAT parquet)",
        [out],
    )
    found = con.execute("SELECT count(*) FROM read_parquet(?)", [out]).fetchone()
    return int(found[0]) if found else 0


if __name__ == "__main__":
    print(run(*sys.argv[1:4]))
