"""Where Splink runs its SQL: DuckDB in-process (the default), or Spark for national scale.

Spark runs in local mode here (tests, one machine) or against a cluster when `JAGA_SPARK_MASTER` points at
one; it needs Java 17+ and Splink's similarity-function jar, which ships inside Splink. The resource
settings come from `jaga.settings.Settings` through the composition roots, as `EngineResources`.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import duckdb
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPISubClass

from jaga.errors import EngineUnavailable


class Engine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


@dataclass(frozen=True)
class EngineResources:
    """How much of the machine (or cluster) the engines may use; `Settings` fills it at the edges."""

    duckdb_memory_limit: str | None = None  # e.g. "8GB"; None: half the machine
    spark_master: str = "local[2]"
    spark_partitions: int = 8
    spark_driver_memory: str = "4g"


def default_memory_limit() -> str:
    """Half the machine's memory.

    DuckDB's own default is 80 %, which on a server shared with the registry's database leaves too little;
    above its limit DuckDB spills to disk instead of failing.
    """
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(1, total // 2**31)}GB"


def duckdb_api(*, memory_limit: str | None = None) -> DuckDBAPI:
    connection = duckdb.connect()
    limit = memory_limit or default_memory_limit()
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit, flags=re.IGNORECASE):
        raise EngineUnavailable(f"JAGA_DUCKDB_MEMORY_LIMIT={limit!r}: expected a size such as 8GB")
    connection.execute(f"SET memory_limit = '{limit}'")
    connection.execute(f"SET temp_directory = '{tempfile.gettempdir()}/jaga-duckdb'")
    return DuckDBAPI(connection=connection)


_spark_session: Any = None


def spark_session(resources: EngineResources | None = None) -> Any:
    """One local (or configured) Spark session per process, created on first use."""
    resources = resources or EngineResources()
    global _spark_session
    if _spark_session is not None:
        return _spark_session
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise EngineUnavailable(
            "the Spark engine needs pyspark (pip install 'jaga[spark]') and Java 17 or newer"
        ) from exc
    try:
        session = (
            SparkSession.builder.master(resources.spark_master)
            .appName("jaga-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", str(resources.spark_partitions))
            .config("spark.driver.memory", resources.spark_driver_memory)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ansi.enabled", "false")
            .getOrCreate()
        )
    except Exception as exc:  # a JVM that does not start: missing or too old Java
        raise EngineUnavailable(
            f"Spark could not start ({type(exc).__name__}); it needs Java 17 or newer"
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="jaga-spark-checkpoints-"))
    _spark_session = session
    return session


def db_api(engine: Engine, resources: EngineResources | None = None) -> DatabaseAPISubClass:
    resources = resources or EngineResources()
    if engine == Engine.DUCKDB:
        return duckdb_api(memory_limit=resources.duckdb_memory_limit)
    from splink import SparkAPI

    return SparkAPI(spark_session=spark_session(resources))  # type: ignore[no-untyped-call]
