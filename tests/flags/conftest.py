"""Flag tests: hand-built rows in a rolled-back transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jaga.flags.candidates import Candidate
from jaga.flags.frames import load_frames
from jaga.flags.rules import RULES
from tests.factories.flags import Rows

TODAY = date(2026, 3, 1)

Detect = Callable[[str], list[Candidate]]


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as opened:
        yield opened


@pytest.fixture
def rows(session: Session) -> Rows:
    return Rows(session)


@pytest.fixture
def detect(session: Session) -> Detect:
    """`detect("nik_mismatch")`: that rule's candidates over what the test has written so far."""
    rules = dict(RULES)

    def run(kind: str) -> list[Candidate]:
        session.flush()
        found = rules[kind](load_frames(session), TODAY)
        assert all(c.kind == kind for c in found)
        return found

    return run
