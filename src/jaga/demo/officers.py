"""The demo's four-eyes officers: two accounts per role whose steps need a second officer, each bound to a
real official of the synthetic registry, in the region of an open adoption case waiting for that step.

The national `demo-<role>` accounts are feed accounts (they transcribe agency exports), and a feed's step
takes effect at once and may not approve another's, so the four-eyes rule cannot be shown with them. With
these, one officer takes the step in the workbench, and the other approves or rejects it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OFFICIAL_ROLES, OPERATOR, Role, TokenHasher, create_principal
from jaga.access.credentials import set_password
from jaga.db import UnitOfWork
from jaga.registry import (
    FOUR_EYES,
    RULES,
    AdoptionCase,
    CaseKind,
    CaseStatus,
    Official,
    Step,
    case_steps,
    checklist,
    history_of,
)

PAIR = ("a", "b")


@dataclass(frozen=True)
class FourEyesDemo:
    role: Role
    case_ref: str
    step: str
    usernames: tuple[str, str]


def _waiting_cases(session: Session) -> list[tuple[AdoptionCase, Step]]:
    """Open cases whose next step needs four eyes, with that step, in ref order (the same every run)."""
    found = []
    cases = session.scalars(
        select(AdoptionCase).where(AdoptionCase.status == CaseStatus.OPEN.value).order_by(AdoptionCase.ref)
    )
    for case in cases:
        items = checklist(CaseKind(case.kind), CaseStatus(case.status), history_of(case_steps(session, case)))
        step = next((i.step for i in items if i.state == "next"), None)
        if step is not None and step in FOUR_EYES:
            found.append((case, step))
    return found


def _two_officials(session: Session, role: Role, case_region: str) -> list[Official]:
    """Two officials of the role whose region holds the case (an account acts within its official's)."""
    officials = session.scalars(
        select(Official).where(Official.role.in_(sorted(OFFICIAL_ROLES[role]))).order_by(Official.ref)
    )
    return [o for o in officials if case_region.startswith(o.region_code)][:2]


def four_eyes_officers(
    sessions: sessionmaker[Session], password: Callable[[], str]
) -> tuple[list[FourEyesDemo], dict[str, str], dict[str, str]]:
    """Create the pairs; returns what to show, the accounts' API tokens and their workbench passwords
    (`password` makes one: the demo's generator)."""
    demos: list[FourEyesDemo] = []
    tokens: dict[str, str] = {}
    passwords: dict[str, str] = {}
    hasher = TokenHasher()
    with sessions() as session:
        waiting = _waiting_cases(session)
        plans = []
        for role in sorted({RULES[s].role for s in FOUR_EYES}, key=lambda r: r.value):
            for case, step in waiting:
                officials = (
                    _two_officials(session, role, case.region_code) if RULES[step].role == role else []
                )
                if len(officials) == 2:
                    plans.append((role, case.ref, step, [o.ref for o in officials]))
                    break
    for role, case_ref, step, official_refs in plans:
        names = []
        for suffix, official_ref in zip(PAIR, official_refs, strict=True):
            username = f"demo-{role.value.replace('_', '-')}-{suffix}"
            with UnitOfWork(sessions) as uow:
                created = create_principal(
                    uow,
                    hasher,
                    actor=OPERATOR,
                    username=username,
                    role=role,
                    region_scope="",
                    official_ref=official_ref,
                )
            with UnitOfWork(sessions) as uow:
                passwords[username] = password()
                set_password(uow, actor=OPERATOR, username=username, password=passwords[username])
            tokens[f"{role.value}_{suffix}"] = created.token
            names.append(username)
        demos.append(FourEyesDemo(role, case_ref, step.value, (names[0], names[1])))
    return demos, tokens, passwords
