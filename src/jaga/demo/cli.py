"""`jaga demo`: the main job a new user runs first."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from jaga.cli_support import console, err_console, obj
from jaga.linkage.cli import engine_resources

DEMO_PROVINCE = "33"  # Jawa Tengah: a small province's worth of births runs in seconds


def demo_command(
    ctx: typer.Context,
    births: Annotated[int, typer.Option(min=100, help="synthetic births")] = 10_000,
    seed: Annotated[int, typer.Option(help="same seed, same data")] = 1,
    scenario: Annotated[
        Path | None, typer.Option(help="scenario TOML (default: one province, default schemes)")
    ] = None,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="start the server at the end")] = True,
    port: Annotated[int | None, typer.Option(help="port for the server (default: JAGA_PORT)")] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="replace a previous demo without asking (its tokens change)")
    ] = False,
) -> None:
    """Generate a synthetic province with planted trafficking schemes, import it, run every pipeline stage
    that exists, write an HTML report, and serve it all with demo accounts for every role.

    Everything goes to JAGA_DATA_DIR/demo (default data/demo/), laid out as a data folder: with
    JAGA_DATA_DIR=data/demo every jaga command acts on the demo. A rerun replaces it: it asks first in a
    terminal, and needs --yes elsewhere."""
    from jaga.demo import stages
    from jaga.demo.folder import demo_folder, holds_a_demo, replace_refused, write_env
    from jaga.demo.report import write_report
    from jaga.synth.scenario import Scenario, load_scenario

    settings = obj(ctx).settings
    plan = load_scenario(scenario) if scenario else Scenario(name="demo", province=DEMO_PROVINCE)
    folder = demo_folder(settings.data_dir)
    if holds_a_demo(folder) and not yes:
        if not _interactive():  # a script or CI: never wait for an answer that cannot come
            raise replace_refused(folder)
        err_console.print(
            f"{folder} holds a previous demo. Running again deletes it (database, keys, certificates, "
            "report) and every demo token changes.",
            highlight=False,
        )
        if not typer.confirm("Replace it?", default=False, err=True):
            raise typer.Exit(1)
    state = stages.prepare(folder)
    planned = [
        "synthesise",
        "database",
        "accounts",
        "import",
        "officers",
        "tips",
        "ledger",
        "certificates",
        "linkage",
        "flags",
        "report",
    ]
    from jaga.db import session_factory

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err_console
    ) as progress:
        tasks = {name: progress.add_task(f"[dim]{name}", total=1, start=False) for name in planned}

        @contextmanager
        def stage(name: str) -> Iterator[None]:
            progress.start_task(tasks[name])
            progress.update(tasks[name], description=f"{name} ...")
            started = time.perf_counter()
            yield
            state.stage_seconds[name] = time.perf_counter() - started
            progress.update(tasks[name], completed=1, description=f"[green]{name} done")

        with stage("synthesise"):
            stages.generate(state, births=births, seed=seed, scenario=plan)
        with stage("database"):
            engine = stages.database(state)
        sessions = session_factory(engine)
        with stage("accounts"):
            actors = stages.accounts(state, sessions)
        with stage("import"):
            stages.import_all(state, sessions, actors)
        with stage("officers"):
            stages.officers(state, sessions)
        with stage("tips"):
            stages.tips(state, sessions)
        with stage("ledger"):
            stages.ledger(state, sessions, origin=settings.ledger_origin)
        with stage("certificates"):
            stages.certificates(
                state, sessions, actors, origin=settings.ledger_origin, base_url=_base_url(settings, port)
            )
        with stage("linkage"):
            stages.linkage(state, sessions, actors, engine_resources(ctx))
        with stage("flags"):
            stages.flags(state, sessions, as_of=plan.window.end + timedelta(days=1))
        with stage("report"):
            write_report(
                state.report,
                engine=engine,
                synth_folder=state.data,
                imports=state.imports,
                stages=state.stage_seconds,
                synth_summary=state.synth,
                flags_available=state.flags is not None,
                ledger=state.ledger,
                certificates=state.certificates,
                linkage=state.linkage,
                vkey_path=state.keys / "ledger.vkey",
                certificate_folder=state.certificate_folder,
            )
        engine.dispose()
    env = write_env(folder, state.tokens, state.samples, state.passwords)
    assert state.synth is not None
    imported = sum(i.rows for i in state.imports)
    console.print(
        f"synthesised {state.synth.births:,} births ({state.synth.records:,} records); "
        f"imported {imported:,} rows"
    )
    if state.tips is not None:
        console.print(
            f"tips: {state.tips:,} sent through the public path (jaga tips list; synthetic, about planted "
            "schemes, innocent places and nothing at all)",
            soft_wrap=True,
        )
    if state.ledger is not None:
        console.print(
            f"ledger: {state.ledger.size:,} events committed, root {state.ledger.root}; "
            f"audit {'clean' if not state.ledger.audit_problems else 'FOUND PROBLEMS'}; "
            f"static copy in {state.static_ledger}",
            soft_wrap=True,
        )
        console.print(f"ledger verifier key (publish it; jaga verify --vkey): {state.keys / 'ledger.vkey'}")
    if state.certificates:
        authentic = sum(c.verified for c in state.certificates)
        console.print(
            f"certificates: {len(state.certificates)} issued as PDFs in "
            f"{state.certificate_folder}, {authentic} verified from their QR codes",
            soft_wrap=True,
        )
        base = _base_url(settings, port)
        sample = state.certificates[0]
        console.print(f"public portal: {base}/  (checking a certificate: {base}/v)", highlight=False)
        console.print(
            f"verify link of certificate {sample.ref} (what its QR code holds; open it in a browser while "
            f"the demo serves):\n{sample.link}",
            highlight=False,
            soft_wrap=True,
        )
    if state.linkage is not None:
        console.print(
            f"linkage: {state.linkage.records:,} person records -> {state.linkage.identities:,} identities; "
            f"{state.linkage.review:,} uncertain pairs wait for review (jaga review next)",
            soft_wrap=True,
        )
    if state.flags is not None:
        console.print(
            f"flags: {state.flags.found:,} found as of {state.flags.as_of} "
            "(jaga flags list; found versus planted in the report)",
            soft_wrap=True,
        )
    console.print(f"report: {state.report.resolve()}")
    console.print(
        "demo accounts (API tokens; every role with national scope, then officers bound to one official "
        "each, in that official's region):"
    )
    for role, token in state.tokens.items():
        console.print(f"  {role:>14}: {token}", highlight=False, soft_wrap=True)
    console.print("workbench logins (username and password, at /masuk while the demo serves):")
    for username, password in state.passwords.items():
        console.print(f"  {username:>19}: {password}", highlight=False, soft_wrap=True)
    for pair in state.four_eyes:
        first, second = pair.usernames
        console.print(
            f"four eyes ({pair.role.value}): {first} records step {pair.step} of adoption case "
            f"{pair.case_ref} at /kerja/adoption-cases/{pair.case_ref}; it waits until {second} approves it",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"the demo's data: {folder} (a rerun replaces it). To use it from the command line:\n"
        f"  export JAGA_DATA_DIR={folder}\n"
        f"  . {env}    # $DEMO_<ROLE>_TOKEN for each account above, and sample records",
        highlight=False,
        soft_wrap=True,
    )
    if not serve:
        return
    _serve(settings, state, port)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _base_url(settings: object, port: int | None) -> str:
    """The portal's address in certificates' links: JAGA_BASE_URL if set, else where the demo serves."""
    from jaga.settings import Settings

    assert isinstance(settings, Settings)
    return settings.base_url or f"http://{settings.host}:{port or settings.port}"


def _serve(settings: object, state: object, port: int | None) -> None:
    import logging

    import uvicorn

    from jaga.app import create_app
    from jaga.settings import Settings

    assert isinstance(settings, Settings)
    demo_settings = settings.model_copy(
        update={"database_url": state.database_url, "ledger_key_dir": state.keys}  # type: ignore[attr-defined]
    )
    app = create_app(demo_settings)
    bind_port = port or settings.port
    base = f"http://{settings.host}:{bind_port}"
    console.print(
        f"serving the demo database on {base}  (API docs {base}/docs, health {base}/healthz); Ctrl-C stops"
    )
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    uvicorn.run(
        app, host=settings.host, port=bind_port, access_log=False, log_level=settings.log_level.lower()
    )
