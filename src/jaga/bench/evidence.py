"""`jaga bench evidence`: packing and verifying an adoption case's evidence pack on a `jaga synth`
registry, each against a reference in the same run.

- Pack: `pack_case` (audited reads, events, proofs to a witnessed checkpoint, custody, the PDF, the zip
  and the pack's own event), against a plain canonical-JSON export of the same events (one query per
  table, one `json.dumps`): what everything a court needs costs beyond the records themselves.
- Verify: `verify_pack` (the zip, every hash, the checkpoints and cosignatures, every commitment and
  inclusion proof, the seal), against the ledger library verifying the same events' inclusion proofs
  alone (leaf hash and `verify_inclusion` per event, one checkpoint signature).
- Seal: `seal_receipt` and `seal_pack` once the log has integrated the packs' events and a witness has
  cosigned, against nothing: it is shown for its size.

Each figure is the median of `repeat` runs on a throwaway SQLite registry (case with the most events).
"""

from __future__ import annotations

import io
import json
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import OFFICIAL_ROLES, OPERATOR, Actor, Role, TokenHasher, authenticate, create_principal
from jaga.bench.flags import build_registry
from jaga.cli_support import make_console
from jaga.db import EventRecord, UnitOfWork, create_engine_for, session_factory
from jaga.evidence.format import canonical_json, event_leaf
from jaga.evidence.seal import seal_pack
from jaga.evidence.sealing import seal_receipt
from jaga.evidence.services import PackMade, event_json, pack_case
from jaga.evidence.trust import WitnessTrust
from jaga.evidence.verify import verify_pack
from jaga.evidence.witnessed import PackOptions
from jaga.ledger import Cosigner, open_checkpoint, parse_note, verify_inclusion
from jaga.registry import AdoptionCase, Purpose
from jaga.sequencer import LedgerKeys, add_cosignatures, init_keys, integrate
from jaga.sequencer.models import LedgerState

console = make_console()
ORIGIN = "bench.jaga/ledger"
REASON = "bench: perkara 1/PID.SUS/2026"


@dataclass(frozen=True)
class Timed:
    seconds: float  # median
    result: Any


def _timed(repeat: int, work: Callable[[], Any]) -> Timed:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return Timed(statistics.median(times), result)


def _police(sessions: sessionmaker[Session]) -> Actor:
    with UnitOfWork(sessions) as uow:
        created = create_principal(
            uow,
            TokenHasher(),
            actor=OPERATOR,
            username="bench-evidence-police",
            role=Role.POLICE,
            region_scope="",
            feed="jaga synth" if Role.POLICE in OFFICIAL_ROLES else None,
        )
    with sessions() as session:
        return authenticate(session, TokenHasher(), created.token)


def _cosign_latest(sessions: sessionmaker[Session], keys: LedgerKeys, witness: Cosigner) -> None:
    integrate(sessions, keys, origin=ORIGIN)
    with sessions() as session:
        state = session.get(LedgerState, 1)
        assert state is not None and state.checkpoint is not None
        note = parse_note(state.checkpoint)
        cosigned = note.with_signature(witness.cosign(note.text, int(time.time()))).format()
        add_cosignatures(session, cosigned, keys.verifiers(), [witness.verifier()])
        session.commit()


def _busiest_case(session: Session) -> str:
    """The adoption case whose records carry the most events (its child's timeline is what is packed)."""
    counts = (
        select(AdoptionCase.ref, func.count(EventRecord.seq).label("events"))
        .join(
            EventRecord,
            (EventRecord.aggregate == AdoptionCase.__tablename__)
            & (EventRecord.aggregate_id == AdoptionCase.id),
        )
        .group_by(AdoptionCase.ref)
        .order_by(func.count(EventRecord.seq).desc(), AdoptionCase.ref)
        .limit(1)
    )
    found = session.execute(counts).first()
    if found is None:
        raise SystemExit("the synthetic registry holds no adoption case; use more --births")
    return str(found[0])


def _export(sessions: sessionmaker[Session], records: list[tuple[str, int]]) -> bytes:
    """The reference: the same events as canonical JSON, nothing else (one indexed query per table, as
    the pack's own reads go)."""
    tables: dict[str, list[int]] = {}
    for table, record_id in records:
        tables.setdefault(table, []).append(record_id)
    with sessions() as session:
        rows = [
            event
            for table, ids in sorted(tables.items())
            for event in session.scalars(
                select(EventRecord).where(EventRecord.aggregate == table, EventRecord.aggregate_id.in_(ids))
            )
        ]
        rows.sort(key=lambda e: e.seq)
        return canonical_json({"events": [event_json(e) for e in rows]})


def _ledger_only(pack: dict[str, Any], log: LedgerKeys) -> int:
    """The reference: the ledger library alone verifying the pack's events (leaf and inclusion)."""
    roots = {}
    for listed in pack["manifest"]["checkpoints"]:
        checkpoint, _ = open_checkpoint(pack["files"][listed["file"]], log.verifiers(), origin=ORIGIN)
        roots[checkpoint.size] = checkpoint.root
    proofs = {p["seq"]: p for p in pack["proofs"]["inclusion"]}
    for event in pack["timeline"]["events"]:
        _, leaf = event_leaf(event)
        proof = proofs[event["seq"]]
        hashes = [bytes.fromhex(h) for h in proof["hashes"]]
        verify_inclusion(event["seq"] - 1, proof["tree_size"], leaf, hashes, roots[proof["tree_size"]])
    return len(pack["timeline"]["events"])


def _opened(content: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return {
        "files": files,
        "manifest": json.loads(files["manifest.json"]),
        "proofs": json.loads(files["proofs.json"]),
        "timeline": json.loads(files["timeline.json"]),
    }


def run(*, births: int = 2_000, repeat: int = 5, seed: int = 7) -> dict[str, float]:
    """Build the registry, time each path, print the table; returns the figures (for the test)."""
    with tempfile.TemporaryDirectory(prefix="jaga-bench-evidence-") as scratch:
        folder = Path(scratch)
        url = f"sqlite:///{folder / 'registry.db'}"
        console.print(f"building a registry of {births:,} synthetic births ...", style="dim")
        build_registry(url, births=births, seed=seed, folder=folder)
        engine = create_engine_for(url)
        sessions = session_factory(engine)
        keys = init_keys(folder / "keys", ORIGIN)
        witness = Cosigner.generate("bench.jaga/witness")
        _cosign_latest(sessions, keys, witness)
        actor = _police(sessions)
        with sessions() as session:
            case = _busiest_case(session)
        options = PackOptions(WitnessTrust((witness.verifier(),)))

        def pack() -> PackMade:
            with UnitOfWork(sessions) as uow:
                return pack_case(uow, actor, case, purpose=Purpose(REASON, "bench"), options=options)

        packed = _timed(repeat, pack)
        made: PackMade = packed.result
        opened = _opened(made.content)
        records = sorted({(e["aggregate"], e["aggregate_id"]) for e in opened["timeline"]["events"]})
        exported = _timed(repeat, lambda: _export(sessions, records))
        verified = _timed(repeat, lambda: verify_pack(made.content, keys.verifiers(), [witness.verifier()]))
        reference = _timed(repeat, lambda: _ledger_only(opened, keys))
        assert verified.result.ok, verified.result.failures
        _cosign_latest(sessions, keys, witness)  # the packs' own events, witnessed

        def seal() -> bytes:
            with sessions() as session:
                receipt = seal_receipt(
                    session,
                    actor,
                    made.manifest_sha256,
                    from_size=max(made.checkpoints),
                    trust=options.trust,
                    now=datetime.now(UTC),
                )
            return seal_pack(made.content, receipt.packing, receipt.seal)

        sealed = _timed(repeat, seal)
        sealed_report = verify_pack(sealed.result, keys.verifiers(), [witness.verifier()])
        assert sealed_report.ok and sealed_report.sealed, sealed_report.failures
        engine.dispose()
    events = made.events
    figures = {
        "events": float(events),
        "pack_seconds": packed.seconds,
        "export_seconds": exported.seconds,
        "verify_seconds": verified.seconds,
        "ledger_seconds": reference.seconds,
        "seal_seconds": sealed.seconds,
        "pack_bytes": float(len(made.content)),
        "export_bytes": float(len(exported.result)),
        "sealed_bytes": float(len(sealed.result)),
    }
    _print(case, figures, births=births, repeat=repeat)
    return figures


def _print(case: str, f: dict[str, float], *, births: int, repeat: int) -> None:
    events = f["events"]
    table = Table(
        "path",
        "median",
        "events/s",
        "bytes",
        "against its reference",
        title=f"Evidence pack of adoption case {case}: {events:.0f} events "
        f"({births:,} births, median of {repeat} runs)",
    )

    def row(name: str, seconds: float, size: float | None, ratio: str) -> None:
        rate = f"{events / seconds:,.0f}" if seconds > 0 and "seal" not in name else "-"
        table.add_row(name, f"{seconds * 1000:,.1f} ms", rate, f"{size:,.0f}" if size else "", ratio)

    row(
        "jaga evidence pack",
        f["pack_seconds"],
        f["pack_bytes"],
        f"{f['pack_seconds'] / f['export_seconds']:,.0f}x export",
    )
    row("reference: canonical JSON export", f["export_seconds"], f["export_bytes"], "1x")
    row(
        "jaga evidence verify",
        f["verify_seconds"],
        None,
        f"{f['verify_seconds'] / f['ledger_seconds']:,.1f}x ledger proofs",
    )
    row("reference: ledger inclusion proofs", f["ledger_seconds"], None, "1x")
    row("jaga evidence seal (one receipt)", f["seal_seconds"], f["sealed_bytes"], "")
    console.print(table)
