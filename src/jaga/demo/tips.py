"""Send a synthetic folder's tips (`tips.csv`) the way the public sends tips: one `submit_tip` each,
without an account, after the registry's files are imported (so that each tip is matched against them,
as a real tip is matched against the registry of its day).

Every row is checked with the form's own schema (`TipIn`) before any is sent; a bad row refuses the
file with its row number and field, never what it says (tips may describe people).
"""

from __future__ import annotations

import csv
from pathlib import Path

from argon2 import PasswordHasher
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import UnitOfWork
from jaga.errors import InvalidInput
from jaga.tips import Submitted, TipIn, submit_tip


def read_tips(path: Path) -> list[TipIn]:
    """Every row of a tips file as the form would take it; InvalidInput naming each bad row's fields."""
    tips: list[TipIn] = []
    problems: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=1):
            try:
                tips.append(TipIn.model_validate({k: v or None for k, v in row.items() if k}))
            except ValidationError as exc:
                fields = sorted({".".join(str(p) for p in e["loc"]) or "tip" for e in exc.errors()})
                problems.append(f"row {number}: {', '.join(fields)}")
    if problems:
        raise InvalidInput(f"{path.name}: {len(problems)} invalid tips ({'; '.join(problems[:20])})")
    return tips


def send_tips(sessions: sessionmaker[Session], path: Path, hasher: PasswordHasher) -> list[Submitted]:
    """Submit every tip of `path`, in file order, each in its own transaction; their receipts."""
    sent = []
    for tip in read_tips(path):
        with UnitOfWork(sessions) as uow:
            sent.append(submit_tip(uow, hasher, tip))
    return sent
