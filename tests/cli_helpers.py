"""Running the `jaga` command line in tests: in-process (CliRunner) or as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from jaga.cli import app


def jaga(
    url: str,
    *args: str,
    token: str | None = None,
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
) -> Result:
    """`jaga *args` in-process against the database at `url` (`env`: more JAGA_* settings)."""
    env = {"JAGA_DATABASE_URL": url, **(env or {})}
    if data_dir is not None:
        env["JAGA_DATA_DIR"] = str(data_dir)
    if token is not None:
        env["JAGA_TOKEN"] = token
    return CliRunner().invoke(app, list(args), env=env)


def jaga_process(
    url: str, *args: str, token: str | None = None, data_dir: Path | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "JAGA_DATABASE_URL": url}
    if token is not None:
        env["JAGA_TOKEN"] = token
    if data_dir is not None:
        env["JAGA_DATA_DIR"] = str(data_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "jaga", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
