"""Settings come only from `Settings`: no module reads the environment itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import ValidationError

from jaga.settings import Settings

SOURCE = Path(__file__).resolve().parents[1] / "src" / "jaga"


def _environment_reads(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"environ", "getenv", "environb"}
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ):
            lines.append(node.lineno)
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and {alias.name for alias in node.names} & {"environ", "getenv"}
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_reads_the_environment_itself() -> None:
    found = {
        str(path.relative_to(SOURCE)): lines
        for path in sorted(SOURCE.rglob("*.py"))
        if (lines := _environment_reads(path))
    }
    assert found == {}, "read these through jaga.settings.Settings instead"


def test_engine_resources_come_from_jaga_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAGA_DUCKDB_MEMORY_LIMIT", "8GB")
    monkeypatch.setenv("JAGA_SPARK_MASTER", "spark://cluster:7077")
    monkeypatch.setenv("JAGA_SPARK_PARTITIONS", "64")
    settings = Settings()
    assert (settings.duckdb_memory_limit, settings.spark_master, settings.spark_partitions) == (
        "8GB",
        "spark://cluster:7077",
        64,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JAGA_DUCKDB_MEMORY_LIMIT", "lots"),
        ("JAGA_SPARK_PARTITIONS", "0"),
        ("JAGA_SPARK_DRIVER_MEMORY", "4 GB"),
    ],
)
def test_a_bad_engine_setting_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name.removeprefix("JAGA_").lower()):
        Settings()
