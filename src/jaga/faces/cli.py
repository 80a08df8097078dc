"""`jaga photos add|list|show` and `jaga faces match|review`, as the account in JAGA_TOKEN (like the API:
the same roles and regions; every read audited with its reason)."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from jaga.access.cli import acting
from jaga.cli_support import CliContext, console, obj
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput
from jaga.faces.models import Basis, SubjectKind

photos_app = typer.Typer(
    help="Children's photos attached to missing-child reports and institutions' person records.",
    no_args_is_help=True,
)
faces_app = typer.Typer(
    help="Face matching: candidates between missing-child reports and intake photos, for people to review.",
    no_args_is_help=True,
)

ReasonOption = Annotated[
    str, typer.Option(help="why you read these children's records (kept in the audit trail)")
]


class Kind(StrEnum):
    MISSING_REPORT = "missing-report"
    PERSON = "person"
    PLACEMENT = "placement"


SUBJECTS = {
    Kind.MISSING_REPORT: SubjectKind.MISSING_REPORT,
    Kind.PERSON: SubjectKind.PERSON,
    Kind.PLACEMENT: SubjectKind.PLACEMENT,
}


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _indonesian() -> bool:
    """The command's own output in Bahasa Indonesia where the locale asks for it, as gettext reads it
    (LANGUAGE, LC_ALL, LC_MESSAGES, LANG: `id_ID.UTF-8`, `id`); English otherwise. JSON never changes."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return value.split(":")[0].lower().startswith(("id", "in_"))
    return False


def _(message: str) -> str:
    """The message in the output's language (the portal's catalogs: portal/locale/id/.../faces.po)."""
    from jaga.portal.i18n import translations

    return translations("id" if _indonesian() else "en").gettext(message)


def _json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, default=str, ensure_ascii=False, indent=2) + "\n")


def _vault(context: CliContext) -> Any:
    from jaga.faces.vault import PhotoVault

    return PhotoVault.open(context.settings.data_dir, context.settings.key_dir)


@photos_app.command("add")
def add_command(
    ctx: typer.Context,
    kind: Annotated[
        Kind, typer.Argument(help="missing-report, person or placement (an institution's intake of a child)")
    ],
    ref: Annotated[str, typer.Argument(help="the report's, person's or placement's ref")],
    file: Annotated[Path, typer.Argument(help="the photo: JPEG, PNG or WebP", dir_okay=False)],
    basis: Annotated[Basis, typer.Option(help="the legal basis: consent, court_order or police_order")],
    reason: Annotated[str, typer.Option(help="why the photo is added (kept with it and in the audit trail)")],
    taken_by: Annotated[str, typer.Option(help="who took the photo (an office or a role)")],
    taken_on: Annotated[str, typer.Option(help="when it was taken, YYYY-MM-DD")],
    consent_by: Annotated[str | None, typer.Option(help="who consented (basis consent), e.g. mother")] = None,
    order_ref: Annotated[
        str | None, typer.Option(help="the order's number (court_order, police_order)")
    ] = None,
    age_months: Annotated[
        int | None, typer.Option(help="the child's age then, when the record has no birth date")
    ] = None,
    face: Annotated[
        int | None, typer.Option(help="which face, numbered from the left, when the photo shows several")
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = OutputFormat.TABLE,
) -> None:
    """Attach a child's photo to a record: its face is found and described, the image stored encrypted."""
    from jaga.faces.services import PhotoIn, add_photo

    context = obj(ctx)
    actor = acting(context)
    try:
        taken = date.fromisoformat(taken_on)
    except ValueError as exc:
        raise InvalidInput("--taken-on must be a date, YYYY-MM-DD") from exc
    limit = context.settings.photo_upload_mb * 1024 * 1024
    try:
        with file.open("rb") as handle:
            content = handle.read(limit + 1)  # one byte more than allowed is enough to refuse it
    except OSError as exc:
        # Not the file's name: photos are often named after the child.
        raise InvalidInput(f"cannot read the photo file: {exc.strerror or type(exc).__name__}") from exc
    data = PhotoIn(
        kind=SUBJECTS[kind],
        ref=ref,
        basis=basis,
        reason=reason,
        taken_by=taken_by,
        taken_on=taken,
        consent_by=consent_by,
        order_ref=order_ref,
        age_months=age_months,
        face=face,
    )
    with UnitOfWork(context.ready_sessions()) as uow:
        view = add_photo(
            uow, actor, _vault(context), data, content, max_bytes=limit, channel="cli photos add"
        )
    if output == OutputFormat.JSON:
        _json(view)
        return
    console.print(
        _(
            "photo {photo} added to {kind} {ref}: face {number} of {found}, encrypted (sha256 {sha}...)"
        ).format(
            photo=view["ref"],
            kind=kind.value,
            ref=ref,
            number=view["face_number"],
            found=view["faces_found"],
            sha=view["sha256"][:16],
        )
    )


IMPORT_COLUMNS = ("kind", "ref", "file", "basis", "taken_by", "taken_on")
OPTIONAL_COLUMNS = ("consent_by", "order_ref", "age_months", "face")


def _row_photo(row: dict[str, str], reason: str) -> tuple[Any, Path]:
    from jaga.faces.services import PhotoIn

    try:
        kind = Kind(row["kind"].strip())
        basis = Basis(row["basis"].strip())
        taken = date.fromisoformat(row["taken_on"].strip())
        age = int(row["age_months"]) if (row.get("age_months") or "").strip() else None
        face = int(row["face"]) if (row.get("face") or "").strip() else None
    except ValueError as exc:
        raise InvalidInput(f"kind, basis, taken_on (YYYY-MM-DD), age_months or face: {exc}") from exc
    data = PhotoIn(
        kind=SUBJECTS[kind],
        ref=row["ref"].strip(),
        basis=basis,
        reason=reason,
        taken_by=row["taken_by"],
        taken_on=taken,
        consent_by=row.get("consent_by") or None,
        order_ref=row.get("order_ref") or None,
        age_months=age,
        face=face,
    )
    return data, Path(row["file"].strip())


@photos_app.command("import")
def import_command(
    ctx: typer.Context,
    listing: Annotated[
        Path,
        typer.Argument(
            help="CSV: kind,ref,file,basis,taken_by,taken_on[,consent_by,order_ref,age_months,face]",
            dir_okay=False,
        ),
    ],
    reason: Annotated[
        str, typer.Option(help="why the photos are added (kept with each and in the audit trail)")
    ],
) -> None:
    """Attach many photos (files named relative to the CSV), each found, described and stored like
    `photos add`, with a progress bar. Each photo stands alone: a refused row is reported with its reason
    and the others are kept (exit 3 if any was refused)."""
    import csv

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from jaga.cli_support import err_console
    from jaga.errors import JagaError
    from jaga.faces.services import add_photo

    context = obj(ctx)
    actor = acting(context)
    sessions = context.ready_sessions()
    vault = _vault(context)
    limit = context.settings.photo_upload_mb * 1024 * 1024
    try:
        with listing.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"cannot read {listing.name} as UTF-8 CSV: {type(exc).__name__}") from exc
    missing = [c for c in IMPORT_COLUMNS if rows and c not in rows[0]]
    if not rows or missing:
        raise InvalidInput(
            f"{listing.name} needs a header and rows with the columns {', '.join(IMPORT_COLUMNS)}"
        )
    added: list[str] = []
    refused: list[str] = []
    with Progress(
        TextColumn("photos"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    ) as progress:  # fmt: skip
        task = progress.add_task("import", total=len(rows))
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            try:
                data, name = _row_photo(row, reason)
                path = name if name.is_absolute() else listing.parent / name
                try:
                    with path.open("rb") as photo:
                        content = photo.read(limit + 1)
                except OSError as exc:
                    raise InvalidInput(
                        f"cannot read its photo file: {exc.strerror or type(exc).__name__}"
                    ) from exc
                with UnitOfWork(sessions) as uow:
                    view = add_photo(
                        uow, actor, vault, data, content, max_bytes=limit, channel="cli photos import"
                    )
                added.append(view["ref"])
            except JagaError as error:
                refused.append(f"row {number}: {error.message}")
            progress.advance(task)
    console.print(
        _("{added} photo(s) added, {refused} refused").format(added=len(added), refused=len(refused))
    )
    for line in refused:
        console.print(f"  {line}", highlight=False)
    if refused:
        raise typer.Exit(3)


@photos_app.command("list")
def list_command(
    ctx: typer.Context,
    reason: ReasonOption,
    kind: Annotated[Kind | None, typer.Option(help="only photos of this kind of record")] = None,
    ref: Annotated[str | None, typer.Option(help="only the photos of this report or person")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = OutputFormat.TABLE,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
) -> None:
    """Photos in your region, newest first: what they are attached to and their legal basis (audited)."""
    from jaga.faces.services import list_photos

    context = obj(ctx)
    actor = acting(context)
    wanted = None if kind is None else SUBJECTS[kind]
    with UnitOfWork(context.ready_sessions()) as uow:
        items = list_photos(
            uow, actor, reason=reason, channel="cli photos list", kind=wanted, ref=ref, limit=limit
        )
    if output == OutputFormat.JSON:
        _json(items)
        return
    table = Table()
    for name in (
        _("ref"),
        _("kind"),
        _("record"),
        _("region"),
        _("basis"),
        _("taken on"),
        _("age (months)"),
        _("faces"),
    ):
        table.add_column(name, overflow="fold")
    for item in items:
        table.add_row(
            item["ref"],
            item["kind"],
            item["subject_ref"],
            item["region_code"],
            item["basis"],
            item["taken_on"],
            "" if item["age_months"] is None else str(item["age_months"]),
            f"{item['face_number']}/{item['faces_found']}",
        )
    console.print(table)
    if not items:
        console.print(_("no photos"), style="dim")


@photos_app.command("show")
def show_command(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="the photo's ref, PH-...")],
    reason: ReasonOption,
    out: Annotated[Path, typer.Option(help="where to write the image (0600)", dir_okay=False)],
) -> None:
    """Write a photo's image to a file (decrypted; audited)."""
    from jaga.faces.services import read_photo
    from jaga.files import atomic_write_bytes

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        media, content = read_photo(
            uow, actor, _vault(context), ref, reason=reason, channel="cli photos show"
        )
    atomic_write_bytes(out, content)
    console.print(
        _("photo {ref} ({media}, {size} bytes) written to {out}").format(
            ref=ref, media=media, size=len(content), out=out
        )
    )


def _print_candidates(candidates: list[dict[str, Any]]) -> None:
    table = Table()
    for name in (
        "id",
        _("report"),
        _("intake person"),
        _("intake region"),
        _("distance"),
        _("rank"),
        _("status"),
    ):
        table.add_column(name, overflow="fold")
    for c in candidates:
        rank = c["rank_for_report"] if c["rank_for_report"] is not None else c["rank_for_intake"]
        table.add_row(
            str(c["candidate_id"]),
            c["report_ref"],
            c["intake_person_ref"],
            c["intake_region_code"],
            f"{c['distance']:.3f}",
            str(rank),
            c["status"],
        )
    console.print(table)


@faces_app.command("match")
def match_command(
    ctx: typer.Context,
    reason: ReasonOption,
    top: Annotated[int, typer.Option(min=1, max=100, help="candidates per open missing report")] = 10,
    per_intake: Annotated[int, typer.Option(min=1, max=100, help="missing reports per intake photo")] = 3,
    max_distance: Annotated[
        float, typer.Option(help="farthest distance shown (a setting, not a claim)")
    ] = 0.6,
    region: Annotated[str | None, typer.Option(help="only intake photos of this region, e.g. 51")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = OutputFormat.TABLE,
) -> None:
    """Compare every open missing report's photos with every intake photo; candidates go to review."""
    from jaga.faces.services import match

    context = obj(ctx)
    actor = acting(context)
    with UnitOfWork(context.ready_sessions()) as uow:
        result = match(
            uow,
            actor,
            reason=reason,
            channel="cli faces match",
            top=top,
            per_intake=per_intake,
            max_distance=max_distance,
            region=region,
        )
    if output == OutputFormat.JSON:
        result.pop("queue")
        _json(result)
        return
    console.print(result["warning_id"] if _indonesian() else result["warning"], style="bold")
    for report in result["reports"]:
        console.print(_("missing report {ref}:").format(ref=report["report_ref"]))
        _print_candidates(report["candidates"])
    for intake in result["intakes"]:
        console.print(
            _("intake photo {ref} ({person}):").format(
                ref=intake["intake_photo_ref"], person=intake["intake_person_ref"]
            )
        )
        _print_candidates(intake["candidates"])
    if not result["reports"] and not result["intakes"]:
        console.print(_("no candidates within the settings"), style="dim")
    if result["outside_your_region"]:
        console.print(
            _("{count} candidate(s) lie outside your region").format(count=result["outside_your_region"]),
            style="dim",
        )


@faces_app.command("review")
def review_command(
    ctx: typer.Context,
    reason: Annotated[
        str | None, typer.Option(help="why you read the queue (kept in the audit trail)")
    ] = None,
    confirm: Annotated[
        int | None, typer.Option(help="confirm candidate ID: the two records are the same child")
    ] = None,
    dismiss: Annotated[
        int | None, typer.Option(help="dismiss candidate ID: not judged the same child")
    ] = None,
    note: Annotated[str | None, typer.Option(help="the reviewer's note (at most 500 characters)")] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = OutputFormat.TABLE,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
) -> None:
    """The review queue (pending candidates, nearest first), or a decision on one candidate."""
    from jaga.faces.services import decide, raise_flags, review_queue

    context = obj(ctx)
    actor = acting(context)
    sessions = context.ready_sessions()
    if confirm is not None and dismiss is not None:
        raise InvalidInput("confirm or dismiss, not both")
    chosen = confirm if confirm is not None else dismiss
    if chosen is not None:
        with UnitOfWork(sessions) as uow:
            decided = decide(uow, actor, chosen, confirm=confirm is not None, note=note)
        if confirm is not None:
            decided["flag"] = raise_flags(sessions, decided["report_ref"], clock=uow.clock)
        if output == OutputFormat.JSON:
            _json(decided)
            return
        said = _("confirmed") if confirm is not None else _("dismissed")
        console.print(_("candidate {id} {decision}").format(id=chosen, decision=said))
        if confirm is not None:
            console.print(
                _("{child} and {intake} recorded as the same person (linkage review decision)").format(
                    child=decided["missing_child_ref"], intake=decided["intake_person_ref"]
                )
            )
            flag = decided["flag"]
            state = (
                _("#{id}, score {score}, {status}").format(
                    id=flag["flag_id"], score=flag["score"], status=flag["status"]
                )
                if flag
                else _("not raised")
            )
            console.print(
                _("flag missing_child_reappears on {ref}: {state}").format(
                    ref=decided["report_ref"], state=state
                )
            )
        return
    with UnitOfWork(sessions) as uow:
        queue = review_queue(uow, actor, reason=reason, channel="cli faces review", limit=limit)
    if output == OutputFormat.JSON:
        _json(queue)
        return
    console.print(queue["warning_id"] if _indonesian() else queue["warning"], style="bold")
    _print_candidates(queue["candidates"])
    if not queue["candidates"]:
        console.print(_("no pending candidates"), style="dim")


@faces_app.command("embed")
def embed_command(ctx: typer.Context) -> None:
    """Compute the current model's face vector for every photo lacking one, e.g. after a model change
    (server operator; vectors of other model versions are kept and never compared)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from jaga.cli_support import err_console
    from jaga.db import utc_now
    from jaga.faces.embedding import MODEL_VERSION
    from jaga.faces.services import embed_missing

    context = obj(ctx)
    sessions = context.ready_sessions()
    with Progress(
        TextColumn("face vectors"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as progress:
        task = progress.add_task("embed", total=None)
        result = embed_missing(
            sessions,
            _vault(context),
            clock=utc_now,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    console.print(
        _("{computed} of {total} photos given a {version} vector").format(
            computed=result["computed"], total=result["total"], version=MODEL_VERSION
        )
    )


def _advance(progress: Any, task: Any, done: int, total: int) -> None:
    progress.update(task, completed=done, total=total)


@faces_app.command("worker")
def worker_command(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="drain the queue, then exit (cron, tests)")] = False,
    interval: Annotated[
        float, typer.Option(min=0.5, max=3600, help="seconds between looks at an empty queue")
    ] = 5.0,
    batch: Annotated[int, typer.Option(min=1, max=1000, help="photos per transaction")] = 50,
) -> None:
    """Describe the faces of photos added by upload or import (and of every photo after a model change):
    the queue is the photos without a current-model vector. A batch is committed at once, so a killed
    worker leaves each photo embedded with its model version or still pending. Runs until stopped
    (Ctrl-C, SIGTERM: the batch in hand is rolled back) unless --once; shows a progress bar for each
    batch on a terminal."""
    import time
    from functools import partial

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from jaga.cli_support import err_console
    from jaga.db import utc_now
    from jaga.faces.embedding import FaceModel
    from jaga.faces.services import embed_missing, pending_count

    context = obj(ctx)
    sessions = context.ready_sessions()
    vault = _vault(context)
    model = FaceModel.shared()
    skip: set[int] = set()
    computed = failed = 0
    try:
        while True:
            with sessions() as session:
                waiting = pending_count(session) - len(skip)
            if waiting > 0:
                with Progress(
                    TextColumn("face vectors"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err_console, transient=True, disable=not err_console.is_terminal,
                ) as progress:  # fmt: skip
                    task = progress.add_task("embed", total=waiting)
                    result = embed_missing(
                        sessions,
                        vault,
                        clock=utc_now,
                        model=model,
                        batch=batch,
                        skip=skip,
                        progress=partial(_advance, progress, task),
                    )
                computed += result["computed"]
                failed += result["failed"]
                if result["computed"] or result["failed"]:
                    continue  # photos may have come in meanwhile
                # nothing done: another worker took them all; wait as on an empty queue
            if once:
                break
            time.sleep(interval)
    except KeyboardInterrupt:  # the batch in hand rolled back: its photos are still pending
        pass
    console.print(
        _(
            "{computed} photo(s) embedded, {failed} whose image could not be read (see jaga photos check)"
        ).format(computed=computed, failed=failed)
    )
    if failed:
        raise typer.Exit(3)


@photos_app.command("check")
def check_command(ctx: typer.Context) -> None:
    """Remove stored images that no committed photo names (left by a process killed between writing the
    file and committing its row) and report photos whose image is missing (server operator; waits for
    photo writes in flight). Exit 3 if any photo lacks its image."""
    from sqlalchemy import select

    from jaga.faces.models import Photo
    from jaga.faces.services import sweep_orphans

    context = obj(ctx)
    sessions = context.ready_sessions()
    vault = _vault(context)
    with sessions() as session:
        # Begin the transaction before waiting for the vault's lock, as writers do (database first, then
        # the vault): on SQLite this takes the write lock, so the sweep never waits on a writer that
        # waits on it. See sweep_orphans for why this transaction sees every committed photo.
        session.execute(select(1))
        removed = sweep_orphans(session, vault) or []
        refs = list(session.scalars(select(Photo.ref).order_by(Photo.id)))
        session.rollback()
    missing = [ref for ref in refs if not vault.has(ref)]
    console.print(
        _("{photos} photo(s), {removed} unreferenced image(s) removed, {missing} image(s) missing").format(
            photos=len(refs), removed=len(removed), missing=len(missing)
        )
    )
    for ref in missing:
        console.print("  " + _("missing: {ref}").format(ref=ref), highlight=False)
    if missing:
        raise typer.Exit(3)
