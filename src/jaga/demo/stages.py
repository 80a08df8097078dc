"""The demo's stages, each a plain function so that tests and the CLI run the same code."""

from __future__ import annotations

import base64
import secrets
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OFFICIAL_ROLES, OPERATOR, Actor, Role, TokenHasher, authenticate, create_principal
from jaga.access.credentials import set_password
from jaga.db import UnitOfWork, create_engine_for
from jaga.demo.folder import MARKER
from jaga.demo.officers import FourEyesDemo, four_eyes_officers
from jaga.files import atomic_write_bytes, private_folder
from jaga.linkage.engines import EngineResources
from jaga.regions import upgrade_and_seed
from jaga.registry import KINDS, FileFormat, run_import
from jaga.sequencer import audit, export_tiles, init_keys, integrate, published_verifiers, record_audit
from jaga.synth.generator import SynthSummary, synthesise
from jaga.synth.output import files_in_order
from jaga.synth.scenario import Scenario

DEMO_ROLES = tuple(Role)
SYNTH_FEED = "jaga synth"  # what the demo's official accounts transcribe


@dataclass
class ImportResult:
    file: str
    kind: str
    role: str
    rows: int
    seconds: float


@dataclass
class LedgerSummary:
    size: int
    root: str
    checkpoint: str
    vkey: str
    events_per_second: float
    static_files: int
    audit_problems: list[str]
    rows_checked: int


@dataclass
class SampleCertificate:
    ref: str
    kind: str
    subject_ref: str
    pdf: str  # file name in the demo's certificates folder
    verified: bool
    checks: str
    link: str  # the verify link its QR code holds: the portal's /v with the payload in the fragment


@dataclass
class LinkageSummary:
    records: int
    identities: int
    multi_record_identities: int
    linked: int
    review: int
    seconds: float


@dataclass
class FlagsSummary:
    found: int
    by_kind: dict[str, int]
    seconds: float
    as_of: str


@dataclass
class DemoState:
    folder: Path
    database_url: str
    synth: SynthSummary | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)  # username -> workbench password
    imports: list[ImportResult] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    ledger: LedgerSummary | None = None
    certificates: list[SampleCertificate] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)  # records the README's commands act on
    linkage: LinkageSummary | None = None
    flags: FlagsSummary | None = None
    tips: int | None = None  # tips sent (None: the stage did not run)
    four_eyes: list[FourEyesDemo] = field(default_factory=list)  # officers bound to officials, in pairs

    @property
    def data(self) -> Path:
        return self.folder / "synth"

    @property
    def report(self) -> Path:
        return self.folder / "report.html"

    @property
    def keys(self) -> Path:
        return self.folder / "keys"

    @property
    def static_ledger(self) -> Path:
        return self.folder / "ledger"

    @property
    def certificate_folder(self) -> Path:
        return self.folder / "certificates"


def prepare(folder: Path) -> DemoState:
    """A fresh demo folder (0700, marked as the demo's): the previous demo's files and database are
    removed. Laid out as a data folder (`jaga.db`, `keys/`), so JAGA_DATA_DIR can point at it."""
    if folder.exists():
        shutil.rmtree(folder)
    private_folder(folder)
    (folder / MARKER).write_text("made by `jaga demo`; a rerun replaces this folder\n", encoding="utf-8")
    return DemoState(folder, f"sqlite:///{(folder / 'jaga.db').as_posix()}")


def generate(state: DemoState, *, births: int, seed: int, scenario: Scenario) -> None:
    private_folder(state.data)  # synthetic, but names and NIKs all the same: nobody else's to read
    state.synth = synthesise(births=births, seed=seed, out=state.data, scenario=scenario)


def database(state: DemoState) -> Engine:
    engine = create_engine_for(state.database_url)
    upgrade_and_seed(engine)
    return engine


def accounts(state: DemoState, sessions: sessionmaker[Session]) -> dict[str, Actor]:
    """One national account per role, `demo-<role>`; their tokens are the demo's credentials.

    The accounts of roles that act as officials are feed accounts: the synthetic files transcribe the
    records of many registrars, social workers and court clerks, as an agency system's export would.
    """
    hasher = TokenHasher()
    actors = {}
    for role in DEMO_ROLES:
        with UnitOfWork(sessions) as uow:
            created = create_principal(
                uow,
                hasher,
                actor=OPERATOR,
                username=f"demo-{role.value.replace('_', '-')}",
                role=role,
                region_scope="",
                feed=SYNTH_FEED if role in OFFICIAL_ROLES else None,
            )
        state.tokens[role.value] = created.token
        password = demo_password()
        with UnitOfWork(sessions) as uow:
            set_password(uow, actor=OPERATOR, username=created.principal.username, password=password)
        state.passwords[created.principal.username] = password
        with sessions() as session:
            actors[role.value] = authenticate(session, hasher, created.token)
    return actors


_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed from a screen


def demo_password() -> str:
    """A random password for a demo account (80 bits; the workbench's policy accepts it)."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


def import_all(state: DemoState, sessions: sessionmaker[Session], actors: dict[str, Actor]) -> None:
    """Every synthetic file through `jaga import`'s own path, as the account of the role that owns it."""
    for path, kind, role in files_in_order(state.data):
        started = time.perf_counter()
        summary = run_import(
            sessions,
            actor=actors[role],
            kind=KINDS[kind],
            path=path,
            fmt=FileFormat.CSV,
            report_path=state.folder / "import-reports" / f"{path.stem}.csv",
        )
        state.imports.append(
            ImportResult(path.name, kind, role, summary.written, time.perf_counter() - started)
        )


def officers(state: DemoState, sessions: sessionmaker[Session]) -> None:
    """Two officers per four-eyes role, bound to officials, beside an adoption case waiting for them."""
    state.four_eyes, tokens, passwords = four_eyes_officers(sessions, demo_password)
    state.tokens.update(tokens)
    state.passwords.update(passwords)
    for pair in state.four_eyes:
        state.samples[f"four_eyes_{pair.role.value}"] = pair.case_ref


def tips(state: DemoState, sessions: sessionmaker[Session]) -> None:
    """The synthetic public's tips, sent through the public path (`submit_tip`, no account) once the
    registry is imported, so that each is matched against it and its events reach the ledger."""
    from jaga.demo.tips import send_tips
    from jaga.synth.output import tips_file

    path = tips_file(state.data)
    sent = send_tips(sessions, path, TokenHasher().hasher) if path is not None else []
    state.tips = len(sent)
    if sent:  # for `jaga tips show $DEMO_TIP` in the README
        state.samples["tip"] = sent[0].ref


def ledger(state: DemoState, sessions: sessionmaker[Session], *, origin: str) -> None:
    """Commit every imported event to the log, export its static copy, and audit the whole database."""
    from jaga.registry import Person, Relinquishment

    keys = init_keys(state.keys, origin)
    done = integrate(sessions, keys, origin=origin)
    with sessions() as session:
        child = session.scalars(  # a child given up, for `jaga evidence pack` in the README
            select(Person.ref)
            .join(Relinquishment, Relinquishment.child_id == Person.id)
            .order_by(Person.id)
            .limit(1)
        ).first()
        if child is not None:
            state.samples["child"] = child
        files = export_tiles(session, state.static_ledger)
        started = datetime.now(UTC)
        report = audit(session, keys.verifiers(), origin=origin)
    with sessions() as session, session.begin():  # kept as `jaga ledger audit` keeps it (/kerja/ledger)
        record_audit(session, report, run_by="jaga demo", started_at=started, finished_at=datetime.now(UTC))
    state.ledger = LedgerSummary(
        size=done.size,
        root=base64.b64encode(done.root).decode(),
        checkpoint=done.checkpoint,
        vkey=keys.vkey,
        events_per_second=done.added / done.seconds if done.seconds else 0.0,
        static_files=files,
        audit_problems=report.problems,
        rows_checked=report.rows_checked,
    )


def certificates(
    state: DemoState,
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    *,
    origin: str,
    base_url: str,
    count: int = 3,
) -> None:
    """Issue a few birth certificates and one adoption certificate as the demo registrar, print them to
    PDF, and verify each PDF's QR code offline, as a citizen would."""
    from jaga.certificates import services as certificate_services
    from jaga.certificates.documents import LogAccess, pdf_of
    from jaga.certificates.qr import payload_from_file
    from jaga.certificates.services import CertificateKind
    from jaga.certificates.verify import verify_payload
    from jaga.registry import AdoptionCase, Birth, Purpose

    with sessions() as session:
        registered = session.scalars(
            select(Birth.ref).where(Birth.akta_number.is_not(None)).order_by(Birth.id).limit(count + 1)
        ).all()
    births, spare = registered[:count], registered[count:]
    if spare:  # a registered birth without a certificate yet, for `jaga certificate issue` in the README
        state.samples["birth"] = spare[0]
    with sessions() as session:
        adoptions = session.scalars(
            select(AdoptionCase.ref)
            .where(AdoptionCase.status == "registered")
            .order_by(AdoptionCase.id)
            .limit(1)
        ).all()
    log = LogAccess(state.keys, origin)
    trusted = published_verifiers(state.keys)
    private_folder(state.certificate_folder)
    purpose = Purpose("demo: sample certificates for the report", "demo")
    wanted: list[tuple[CertificateKind, str]] = [
        *(("birth", b) for b in births),
        *(("adoption", a) for a in adoptions),
    ]
    for kind, subject in wanted:
        with UnitOfWork(sessions) as uow:
            view = certificate_services.issue(
                uow,
                actors["registrar"],
                kind=kind,
                subject_ref=subject,
                purpose=purpose,
            )
        path = state.certificate_folder / f"{view.ref}.pdf"
        atomic_write_bytes(path, pdf_of(sessions, view, log, base_url=base_url))
        link = payload_from_file(path)  # read back from the PDF's QR code, as a phone camera would
        result = verify_payload(link, trusted)
        checks = ", ".join(
            f"{c.name} {'ok' if c.ok else 'FAILED' if c.ok is False else '-'}" for c in result.checks
        )
        state.certificates.append(
            SampleCertificate(view.ref, kind, subject, path.name, result.ok, checks, link)
        )


def linkage(
    state: DemoState,
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    resources: EngineResources | None = None,
) -> None:
    """Link every person record into identities (DuckDB), leaving the uncertain pairs for review; the
    pair a social worker is shown first becomes the README's sample."""
    from jaga.linkage.review import next_for_review
    from jaga.linkage.runs import run_linkage
    from jaga.registry import Purpose

    done = run_linkage(sessions, resources=resources)
    with UnitOfWork(sessions) as uow:
        first = next_for_review(
            uow, actors["social_worker"], purpose=Purpose("demo: the sample pair to review", "demo")
        )
    if first is not None:
        state.samples["review_pair"] = str(first.link_id)
    state.linkage = LinkageSummary(
        records=done.records,
        identities=done.identities,
        multi_record_identities=done.multi_record_identities,
        linked=done.linked,
        review=done.review,
        seconds=done.seconds,
    )


def flags(state: DemoState, sessions: sessionmaker[Session], *, as_of: date) -> None:
    """Run every flag detector as of the end of the synthetic window, with the ground truth locked away."""
    from jaga.flags.runs import run_flags
    from jaga.synth.isolation import guard_truth

    with guard_truth():
        done = run_flags(sessions, today=as_of)
    state.flags = FlagsSummary(done.found, done.by_kind, done.seconds, as_of.isoformat())
