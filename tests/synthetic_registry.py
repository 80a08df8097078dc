"""A throwaway database of either dialect holding a synthetic folder imported through `jaga import`'s own
path, as each file's role: the fixture body shared by the linkage and flags tests."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork, create_engine_for
from jaga.flags.models import FlagStatus
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.kinds import KINDS
from jaga.synth.output import files_in_order
from jaga.synth.scenario import Scenario
from tests.conftest import FAST_HASHER, PreparedDatabase, create_postgres_database, drop_postgres_database


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


PIPELINE_ORIGIN = "jaga.test/ledger"


def run_pipeline(
    keys: Path, actors: dict[str, Actor], *, today: date, tips: Path | None = None
) -> Callable[[sessionmaker[Session]], None]:
    """What `jaga demo` runs after the import, plus one of each reviewer's acts, so that every table that
    carries events holds some: the folder's tips sent through the public path (`tips`: the synthetic
    folder) with an officer's question and the tipster's answer, identities with a reviewed pair, flags
    with a status change, the log, and a certificate issued and another revoked."""

    def run(sessions: sessionmaker[Session]) -> None:
        from jaga.certificates import services as certificates
        from jaga.flags.models import Flag
        from jaga.flags.runs import run_flags
        from jaga.flags.services import change_status
        from jaga.linkage.models import IdentityLink
        from jaga.linkage.review import decide
        from jaga.linkage.runs import run_linkage
        from jaga.registry.models import Birth
        from jaga.registry.services.reads import Purpose
        from jaga.sequencer import init_keys, integrate

        if tips is not None:
            _send_tips(sessions, tips, actors["police"])
        run_linkage(sessions)
        run_flags(sessions, today=today)
        with sessions() as session:
            births = session.scalars(
                select(Birth.ref).where(Birth.akta_number.is_not(None)).order_by(Birth.id).limit(2)
            ).all()
            link_id = session.scalars(select(IdentityLink.id).order_by(IdentityLink.id).limit(1)).one()
            flag_id = session.scalars(select(Flag.id).order_by(Flag.id).limit(1)).one()
        purpose = Purpose("certificates for the pipeline fixture", "test")
        registrar = actors["registrar"]
        for birth in births:
            with UnitOfWork(sessions) as uow:
                issued = certificates.issue(uow, registrar, kind="birth", subject_ref=birth, purpose=purpose)
        with UnitOfWork(sessions) as uow:
            certificates.revoke(uow, registrar, issued.ref, reason="issued in error (fixture)")
        with UnitOfWork(sessions) as uow:
            decide(uow, actors["social_worker"], link_id, same=True, note="fixture review")
        with UnitOfWork(sessions) as uow:
            change_status(uow, actors["police"], flag_id, status=FlagStatus.UNDER_REVIEW)
        _workbench_acts(sessions, actors)
        integrate(sessions, init_keys(keys, PIPELINE_ORIGIN), origin=PIPELINE_ORIGIN)

    return run


def _workbench_acts(sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """An administrator's and two officers' acts that only the workbench's accounts make: a password set,
    a second factor required of a role and then no longer, and four eyes on a placement with prospective
    adopters (one social worker records it, another approves it)."""
    from jaga.access import OPERATOR, Role, authenticate, create_principal
    from jaga.access.credentials import require_totp, set_password
    from jaga.registry import AdoptionStepIn, Person, decide_step, take_step
    from tests.conftest import fast_token_hasher
    from tests.factories.registry import create

    tokens = fast_token_hasher()
    with UnitOfWork(sessions) as uow:
        set_password(uow, actor=OPERATOR, username="police", password="kopi tubruk di pasar johar pagi")
    for required in (True, False):
        with UnitOfWork(sessions) as uow:
            require_totp(uow, actor=OPERATOR, role=Role.AUDITOR, required=required)
    official = create(
        sessions,
        OPERATOR,
        "officials",
        ref="O-PEKSOS-KEDUA",
        full_name="Petugas Kedua",
        role="social_worker",
        office="Dinas Sosial Provinsi Jawa Tengah",
        region_code="33",
    )
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow,
            tokens,
            actor=OPERATOR,
            username="peksos-kedua",
            role=Role.SOCIAL_WORKER,
            region_scope="33",
            official_ref=official,
        )
    with sessions() as session:
        second = authenticate(session, tokens, created.token)
    with sessions() as session:
        child, adopter = session.scalars(
            select(Person.ref).where(Person.region_code.startswith("33")).order_by(Person.id).limit(2)
        ).all()
    first = actors["social-jateng"]
    case = create(
        sessions,
        first,
        "adoption-cases",
        child_ref=child,
        kind="domestic",
        adopter_ref=adopter,
        region_code="3374",
        applied_on="2024-07-01",
        documents="application=APP/2024/7",
    )
    steps = [
        {"step": "eligibility_check", "occurred_on": "2024-07-15", "outcome": "passed"},
        {"step": "home_study", "occurred_on": "2024-07-29", "documents": "home_study_report=HS-7"},
        {"step": "temporary_care", "occurred_on": "2024-08-14", "documents": "care_permit=CP-7"},
    ]
    for step in steps:
        with UnitOfWork(sessions) as uow:
            take_step(uow, first, case, AdoptionStepIn.model_validate(step))
    with UnitOfWork(sessions) as uow:
        decide_step(uow, second, case, 4, approve=True)


def _send_tips(sessions: sessionmaker[Session], folder: Path, police: Actor) -> None:
    from jaga.demo.tips import send_tips
    from jaga.synth.output import tips_file
    from jaga.tips import AdditionIn, add_information, ask_question

    path = tips_file(folder)
    if path is None:
        return
    sent = send_tips(sessions, path, FAST_HASHER)
    with UnitOfWork(sessions) as uow:
        view = ask_question(
            uow, police, sent[0].ref, question="Kapan unggahan itu Anda lihat?", channel="test"
        )
    answer = AdditionIn(body="Minggu lalu, sudah dihapus sekarang.", reply_to=view["messages"][-1]["id"])
    with UnitOfWork(sessions) as uow:
        add_information(uow, FAST_HASHER, sent[0].receipt, answer)


@contextmanager
def pipeline_registry(
    database: PreparedDatabase, folder: Path, scenario: Scenario, keys: Path, factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of a copy of `database` holding `folder` after the whole pipeline (`run_pipeline`) as of
    the day after the scenario's window, its log keys in `keys`."""
    then = run_pipeline(keys, database.actors, today=scenario.window.end + timedelta(days=1), tips=folder)
    with imported_registry(database, folder, factory, then=then) as url:
        yield url
