"""`jaga witness ...`: run a witness for a log, from its public copy alone (no database needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jaga.cli_support import console, err_console, read_vkeys
from jaga.errors import InvalidInput
from jaga.files import PUBLIC_FILE, atomic_write
from jaga.ledger import CosignatureVerifier
from jaga.witness.core import Witness
from jaga.witness.source import LogSource

app = typer.Typer(
    help="Witness a log: cosign its checkpoints only if they are consistent.", no_args_is_help=True
)

FolderOption = Annotated[Path, typer.Option("--dir", help="the witness's folder (key and memory)")]


@app.command()
def init(
    name: Annotated[str, typer.Option(help="the witness's public name, e.g. witness.example.org/w1")],
    folder: FolderOption,
) -> None:
    """Create the witness's cosigning key; prints its verifier key for logs to configure."""
    witness = Witness.create(folder, name)
    console.print(f"witness key created in {folder} (never commit it)")
    console.print(witness.cosigner.verifier().vkey(), highlight=False, soft_wrap=True)


@app.command()
def cosign(
    folder: FolderOption,
    source: Annotated[str, typer.Option(help="the log's static copy: a folder or an http(s) URL")],
    log_vkey: Annotated[
        list[str],
        typer.Option("--log-vkey", help="the log's verifier key, or a file holding it (repeatable)"),
    ],
    out: Annotated[
        Path | None, typer.Option(help="write the cosigned checkpoint here (default: print it)")
    ] = None,
) -> None:
    """Check the log's current checkpoint against the last one cosigned; cosign it only if consistent."""
    witness = Witness.load(folder)
    done = witness.cosign(LogSource(source), read_vkeys(log_vkey, "--log-vkey"))
    previous = "first sight" if done.previous_size is None else f"consistent with size {done.previous_size}"
    err_console.print(f"cosigned {done.checkpoint.origin} at size {done.checkpoint.size} ({previous})")
    if out is None:
        typer.echo(done.note.format(), nl=False)
    else:
        atomic_write(out, done.note.format(), mode=PUBLIC_FILE)  # a cosigned checkpoint is public


@app.command()
def serve(
    folder: FolderOption,
    log_vkey: Annotated[
        list[str],
        typer.Option(
            "--log-vkey",
            help="verifier key of a log this witness cosigns (its name is the log's origin), or a file "
            "holding it; repeat once per log (and for both keys during a log's key rotation)",
        ),
    ],
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 8099,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
) -> None:
    """Serve C2SP tlog-witness: logs POST /add-checkpoint with a consistency proof and get a cosignature."""
    import logging

    import uvicorn

    from jaga.witness.api import create_witness_app

    witness = Witness.load(folder)
    logs = read_vkeys(log_vkey, "--log-vkey")
    if any(isinstance(key, CosignatureVerifier) for key in logs):
        raise InvalidInput("--log-vkey: a log's key is an Ed25519 note key, not a witness (cosignature) key")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    origins = ", ".join(sorted({key.name for key in logs}))
    console.print(f"witness {witness.cosigner.name} on http://{host}:{port}/add-checkpoint for {origins}")
    server = create_witness_app(witness, logs)
    uvicorn.run(server, host=host, port=port, access_log=False, log_level="warning")
