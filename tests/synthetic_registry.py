"""A throwaway database of either dialect holding a synthetic folder imported through `jaga import`'s own
path, as each file's role: the fixture body shared by the linkage and flags tests."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import create_engine_for
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.kinds import KINDS
from jaga.synth.output import files_in_order
from tests.conftest import PreparedDatabase, create_postgres_database, drop_postgres_database


@contextmanager
def imported_registry(
    database: PreparedDatabase,
    folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
    *,
    then: Callable[[sessionmaker[Session]], object] | None = None,
) -> Iterator[str]:
    """The URL of a copy of `database`'s template with `folder` imported (and `then` run on it)."""
    name = None
    if database.dialect == "sqlite":
        assert database.template_path is not None
        target = tmp_path_factory.mktemp("registry-db") / "registry.db"
        shutil.copyfile(database.template_path, target)
        url = f"sqlite:///{target}"
    else:
        assert database.template_name is not None
        name = f"jaga_synth_{secrets.token_hex(4)}"
        url = create_postgres_database(name, template=database.template_name)
    try:
        engine = create_engine_for(url)
        sessions = sessionmaker(engine, expire_on_commit=False)
        for path, kind, role in files_in_order(folder):
            run_import(
                sessions,
                actor=database.actors[role],
                kind=KINDS[kind],
                path=path,
                fmt=FileFormat.CSV,
                report_path=None,
            )
        if then is not None:
            then(sessions)
        engine.dispose()
        yield url
    finally:
        if name is not None:
            drop_postgres_database(name)
