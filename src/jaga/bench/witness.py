"""`jaga bench witness`: C2SP tlog-witness `add-checkpoint` over loopback, cosigned against refused at
once in the same run, and where a cosigned request's time goes.

A real `jaga witness serve` process on a free loopback port witnesses two logs:

- an in-memory log whose N successive checkpoints (each `step` entries larger than the last, with its
  consistency proof) are made before the clock starts, so the timing is the witness's alone;
- jaga's own log (the sequencer on a scratch SQLite registry), which after each integration of `step`
  events pushes its new checkpoint exactly as `jaga ledger witness-push` does (push_checkpoint: the
  witness's last size from the stored cosignatures, the proof from the tiles, the cosignature verified
  and stored); only the pushes are timed.

The reference is the same number of requests, of the same shape and size, signed for a log the witness
does not know: answered 404 once parsed, before any signature check, lock or disk. Every request goes
through the log side's own HTTP client (`http_post`: urllib, one connection per request). Then the
witness core is timed in this process (no HTTP) on a folder of its own, as a whole and step by step.
Every cosignature is checked against the witness's key after the clock stops.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from jaga.bench.server import free_port
from jaga.cli_support import make_console
from jaga.db import EventKind, UnitOfWork, create_engine_for, session_factory
from jaga.db.canonical import JsonValue
from jaga.db.migrate import upgrade
from jaga.files import atomic_write, fsync_folder
from jaga.ledger import (
    EMPTY_ROOT,
    Checkpoint,
    Ed25519Signer,
    MemoryTree,
    consistency_proof,
    open_note,
    parse_checkpoint_text,
    parse_note,
    subtree_hash,
    verify_consistency,
)
from jaga.ledger.note import Verifier
from jaga.ledger.witness_protocol import (
    ADD_CHECKPOINT_PATH,
    AddCheckpoint,
    parse_add_checkpoint,
    parse_signature_lines,
)
from jaga.sequencer import LedgerKeys, init_keys, integrate
from jaga.sequencer.witnessing import Reply, WitnessEndpoint, http_post, push_checkpoint
from jaga.witness import Witness

console = make_console()
MEMORY_ORIGIN = "bench.jaga/memory-log"
UNKNOWN_ORIGIN = "bench.jaga/unknown-log"
LEDGER_ORIGIN = "bench.jaga/ledger"
WITNESS_NAME = "bench.jaga/witness"


class MemoryLog:
    """A log held in memory with its key: `requests(step, count)` are the bodies a log would push."""

    def __init__(self, origin: str, size: int) -> None:
        self.signer = Ed25519Signer.generate(origin)
        self.tree = MemoryTree()
        self.tree.extend([f"bench entry {n}".encode() for n in range(size)])

    def requests(self, step: int, count: int) -> list[AddCheckpoint]:
        made = []
        for n in range(1, count + 1):
            old, size = (n - 1) * step, n * step
            root = subtree_hash(self.tree, 0, size) if size else EMPTY_ROOT
            note = Checkpoint(self.signer.name, size, root).sign(self.signer).format()
            proof = consistency_proof(self.tree, old, size) if old else []
            made.append(AddCheckpoint(old, tuple(proof), note))
        return made


def _serve(folder: Path, vkeys: list[str], log_file: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`jaga witness serve` in its own process, once it answers HTTP."""
    port = free_port()
    args = [sys.executable, "-m", "jaga", "witness", "serve", "--dir", str(folder), "--port", str(port)]
    for vkey in vkeys:
        args += ["--log-vkey", vkey]
    with log_file.open("wb") as log:
        server = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + ADD_CHECKPOINT_PATH, timeout=2).close()
        except urllib.error.HTTPError:
            return server, url  # any HTTP answer (405 to a GET) means it is up
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"the witness server stopped: {log_file.read_text()[-2000:]}") from None
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the witness server did not answer within 60 s")


def _post_all(url: str, requests: list[AddCheckpoint]) -> tuple[float, list[Reply]]:
    replies = []
    started = time.perf_counter()
    for request in requests:
        replies.append(http_post(url + ADD_CHECKPOINT_PATH, request.body()))
    return time.perf_counter() - started, replies


def _check_cosigned(requests: list[AddCheckpoint], replies: list[Reply], witness: Witness) -> None:
    key = witness.cosigner.verifier()
    for request, reply in zip(requests, replies, strict=True):
        if reply.status != 200:
            raise RuntimeError(f"the witness refused a consistent checkpoint: {reply.status} {reply.body}")
        text = parse_note(request.checkpoint).text
        signatures = parse_signature_lines(text, reply.body).signatures
        if not any(key.verify(text, s.signature) for s in signatures):
            raise RuntimeError("the witness answered 200 without a valid cosignature")


def _ledger_pushes(
    folder: Path, keys: LedgerKeys, url: str, witness: Witness, step: int, count: int
) -> float:
    """Seconds spent in `count` pushes of jaga's log, each after `step` more events were integrated."""
    engine = create_engine_for(f"sqlite:///{folder / 'registry.db'}")
    upgrade(engine)
    sessions = session_factory(engine)
    endpoint = WitnessEndpoint("bench", witness.cosigner.verifier(), url)
    seconds = 0.0
    for n in range(count):
        with UnitOfWork(sessions) as uow:
            for m in range(n * step, (n + 1) * step):
                state: dict[str, JsonValue] = {"n": m, "note": "benchmark event"}
                uow.record_state(EventKind.FACILITY_REGISTERED, "bench", m + 1, state, actor_id=None)
            uow.commit()
        integrate(sessions, keys, origin=LEDGER_ORIGIN)
        started = time.perf_counter()
        pushed = push_checkpoint(sessions, keys.verifiers(), [endpoint])
        seconds += time.perf_counter() - started
        if not pushed.results[0].ok:
            raise RuntimeError(f"the witness refused jaga's log: {pushed.results[0].detail}")
    engine.dispose()
    return seconds


@dataclass
class Steps:
    """Seconds per step of a cosigned request, summed over the requests (the core's order)."""

    parse: float = 0.0
    log_signature: float = 0.0
    read_memory: float = 0.0
    proof: float = 0.0
    write_file: float = 0.0
    fsync_folder: float = 0.0
    cosign: float = 0.0


@contextmanager
def _clock(steps: Steps, name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    setattr(steps, name, getattr(steps, name) + time.perf_counter() - started)


def _step_by_step(witness: Witness, log: MemoryLog, requests: list[AddCheckpoint]) -> Steps:
    """The core's work for each request, one public function at a time (one thread, so no lock)."""
    steps = Steps()
    trusted: list[Verifier] = [log.signer.verifier()]
    path = witness.state_path(log.signer.name)
    for request in requests:
        body = request.body()
        with _clock(steps, "parse"):
            parsed = parse_add_checkpoint(body)
            note = parse_note(parsed.checkpoint)
            new = parse_checkpoint_text(note.text)
        with _clock(steps, "log_signature"):
            open_note(parsed.checkpoint, trusted)
        with _clock(steps, "read_memory"):
            old = witness.last_seen(new.origin, trusted)
        if old is not None and parsed.old_size:
            with _clock(steps, "proof"):
                verify_consistency(old.size, new.size, parsed.proof, old.root, new.root)
        with _clock(steps, "write_file"):
            atomic_write(path, parsed.checkpoint, 0o644)
        with _clock(steps, "fsync_folder"):
            fsync_folder(path.parent)
        with _clock(steps, "cosign"):
            witness.cosigner.cosign(note.text, int(time.time()))
    return steps


def run(*, checkpoints: int, step: int, folder: Path | None = None) -> dict[str, float]:
    """Print the figures (see the module's docstring) and return them."""
    with tempfile.TemporaryDirectory(prefix="jaga-bench-witness-", dir=folder) as scratch:
        root = Path(scratch)
        log = MemoryLog(MEMORY_ORIGIN, checkpoints * step)
        stranger = MemoryLog(UNKNOWN_ORIGIN, checkpoints * step)
        requests = log.requests(step, checkpoints)
        refusals = stranger.requests(step, checkpoints)
        ledger_keys = init_keys(root / "ledger-keys", LEDGER_ORIGIN)
        vkeys = [log.signer.verifier().vkey(), ledger_keys.vkey]

        served = Witness.create(root / "served", WITNESS_NAME)
        server, url = _serve(root / "served", vkeys, root / "server.log")
        try:
            refused_seconds, replies = _post_all(url, refusals)
            if any(reply.status != 404 for reply in replies):
                raise RuntimeError(f"expected 404 for an unknown log, got {replies[0].status}")
            cosigned_seconds, replies = _post_all(url, requests)
            _check_cosigned(requests, replies, served)
            push_seconds = _ledger_pushes(root, ledger_keys, url, served, step, checkpoints)
        finally:
            server.terminate()
            server.wait(timeout=10)

        core = Witness.create(root / "core", WITNESS_NAME)
        trusted: list[Verifier] = [log.signer.verifier()]
        started = time.perf_counter()
        for request in requests:
            core.add_checkpoint(request.body(), trusted)
        core_seconds = time.perf_counter() - started
        steps = _step_by_step(Witness.create(root / "steps", WITNESS_NAME), log, requests)

    figures = {
        "checkpoints": float(checkpoints),
        "refused_per_s": checkpoints / refused_seconds,
        "cosigned_per_s": checkpoints / cosigned_seconds,
        "pushed_per_s": checkpoints / push_seconds,
        "core_per_s": checkpoints / core_seconds,
        **{f"{name}_ms": 1000 * seconds / checkpoints for name, seconds in vars(steps).items()},
    }
    _print(figures, checkpoints, step)
    return figures


def _print(figures: dict[str, float], checkpoints: int, step: int) -> None:
    refused = figures["refused_per_s"]
    table = Table(
        "path", "requests/s", "ms each", "ratio",
        title=f"jaga bench witness: {checkpoints} checkpoints, {step} entries apart",
    )  # fmt: skip
    rows = [
        ("HTTP: refused at once (404, unknown log)", refused),
        ("HTTP: cosigned (signature, proof, durable write, cosignature)", figures["cosigned_per_s"]),
        ("HTTP: jaga's log pushing (push_checkpoint, SQLite sequencer)", figures["pushed_per_s"]),
        ("in process: Witness.add_checkpoint, no HTTP", figures["core_per_s"]),
    ]
    for name, rate in rows:
        ratio = "1.00 (reference)" if rate is refused else f"{rate / refused:.2f}"
        table.add_row(name, f"{rate:,.0f}", f"{1000 / rate:.2f}", ratio)
    console.print(table)
    labels = {
        "parse_ms": "parse the request and checkpoint",
        "log_signature_ms": "check the log's signature (Ed25519 verify)",
        "read_memory_ms": "read and verify the recorded checkpoint",
        "proof_ms": "verify the consistency proof",
        "write_file_ms": "write the memory: temporary file, fsync, rename",
        "fsync_folder_ms": "fsync the folder (the rename is durable)",
        "cosign_ms": "cosign (Ed25519 sign)",
    }
    total = sum(figures[key] for key in labels)
    steps = Table("step of a cosigned request (in process)", "ms each", "share", title="where the time goes")
    for key, label in labels.items():
        steps.add_row(label, f"{figures[key]:.3f}", f"{100 * figures[key] / total:.1f}%")
    steps.add_row("total of the steps", f"{total:.3f}", "100%")
    console.print(steps)
    console.print(
        f"load average {os.getloadavg()[0]:.2f} (figures are inflated by other load; compare ratios)"
    )
