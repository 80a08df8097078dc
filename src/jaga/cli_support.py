"""What every command-line adapter shares: the context (settings, database), error reporting with exit
codes, and Rich consoles. Below every capability, so each can mount its own commands."""

from __future__ import annotations

import errno
import secrets
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from jaga.errors import DatabaseUnavailable, InvalidInput, JagaError
from jaga.ledger import LedgerError, parse_vkey
from jaga.ledger.note import Verifier
from jaga.settings import Settings

# Output that is not a terminal is read by programs, logs and people searching them: a line break inside
# a URL, a hash, a token or an id breaks each of them, so it is never wrapped (Rich's default is 80).
PIPED_WIDTH = 1000


def make_console(*, stderr: bool = False) -> Console:
    """A Rich console that wraps for a terminal only (every `Console()` in jaga comes from here)."""
    console = Console(stderr=stderr)
    if not console.is_terminal:
        console = Console(stderr=stderr, width=PIPED_WIDTH, soft_wrap=True)
    return console


console = make_console()
err_console = make_console(stderr=True)

ERROR_LOG = Path("logs") / "errors.log"


@dataclass
class CliContext:
    """Built once by the root callback; commands reach it through `ctx.obj`."""

    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, create: bool = False) -> Engine:
        """The database engine. A missing SQLite file is an error naming it, unless `create` (only
        `jaga db upgrade` creates a database): a typo in a path must not yield a new empty registry."""
        if self._engine is None:
            from jaga.db import create_engine_for

            if not create:
                _require_sqlite_file(self.settings)
            self._engine = create_engine_for(self.settings.database_url)
        return self._engine

    def close(self) -> None:
        """Release the database connections (called when the command ends)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def sessions(self) -> sessionmaker[Session]:
        from jaga.db import session_factory

        return session_factory(self.engine())

    def ready_sessions(self) -> sessionmaker[Session]:
        """Sessions on a database whose schema matches this code."""
        from jaga.db.migrate import require_current

        require_current(self.engine())
        return self.sessions()


def _require_sqlite_file(settings: Settings) -> None:
    url = make_url(settings.database_url)
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:") or Path(database).exists():
        return
    hint = ""
    demo = settings.data_dir / "demo" / "jaga.db"
    if demo.exists():
        hint = f"; the demo's database is {demo}: export JAGA_DATA_DIR={demo.parent} to use it"
    raise DatabaseUnavailable(
        f"no database at {database} (JAGA_DATA_DIR is {settings.data_dir}); "
        f"run `jaga db upgrade` to create an empty one there{hint}"
    )


def obj(ctx: typer.Context) -> CliContext:
    found = ctx.find_object(CliContext)
    if found is None:  # a sub-app invoked on its own (tests); build from the environment
        from jaga.settings import get_settings

        found = CliContext(get_settings())
        ctx.obj = found
        ctx.call_on_close(found.close)
    return found


def fail(error: JagaError) -> NoReturn:
    err_console.print(f"[bold red]error[/]: {escape(error.message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(error.exit_code)


def report_bug(exc: BaseException, *, command: str, settings: Settings | None) -> NoReturn:
    """An exception nobody named: a bug. The user sees one line with an error id and exit 70; the
    traceback (which may quote record values) goes to a private log file under the data folder, and
    also to stderr when JAGA_DEBUG=1."""
    error_id = secrets.token_hex(4)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    trace = "".join(traceback.format_exception(exc))
    entry = f"--- {stamp} error {error_id} in `{command}`\n{trace}\n"
    where = _log_bug(entry, settings)
    err_console.print(
        f"[bold red]error[/]: internal error {error_id} ({type(exc).__name__}): a bug in jaga, please "
        f"report this id; details in {where or 'no log (unwritable; JAGA_DEBUG=1 shows them)'}",
        highlight=False,
        soft_wrap=True,
    )
    if settings is not None and settings.debug:
        err_console.print(trace, highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(70)


def _log_bug(entry: str, settings: Settings | None) -> Path | None:
    import tempfile

    from jaga.files import append_private

    folders = [settings.data_dir] if settings is not None else []
    for folder in [*folders, Path(tempfile.gettempdir()) / "jaga"]:
        path = folder / ERROR_LOG
        try:
            append_private(path, entry)
            return path
        except OSError:
            continue
    return None


class JagaGroup(TyperGroup):
    """Turns jaga's errors into a message on stderr and the error's exit code, in one place; anything
    else into the bug report of `report_bug` (exit 70), never a traceback."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        # Only command names reach the bug log, never arguments (they may be NIKs or names).
        words = ["jaga", name or ""]
        if isinstance(command, TyperGroup) and rest and rest[0] in command.commands:
            words.append(rest[0])
        ctx.meta["jaga.command"] = " ".join(words)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except JagaError as exc:
            fail(exc)
        except OperationalError as exc:
            fail(DatabaseUnavailable(f"the database cannot be reached ({type(exc.orig).__name__})"))
        except (TyperException, Exit, Abort):
            raise  # usage errors (exit 2), deliberate exits and Ctrl-C are Typer's to show
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # `jaga export ... | head`: the reader left; Typer exits quietly
                raise
            report_bug(exc, command=ctx.meta.get("jaga.command", "jaga"), settings=_settings_of(ctx))
        except Exception as exc:
            report_bug(exc, command=ctx.meta.get("jaga.command", "jaga"), settings=_settings_of(ctx))


def _settings_of(ctx: Any) -> Settings | None:
    found = ctx.find_object(CliContext)
    return found.settings if isinstance(found, CliContext) else None


def read_vkeys(values: list[str], option: str) -> list[Verifier]:
    """Verifier keys given on the command line, each as the key itself or as a file holding it.

    A value naming no file is read as a key; if it is not one but looks like a path (a `/` but no `+`,
    which every key has, or a name ending in .vkey or .pub), the error says that the file does not exist
    rather than how a key is spelled: a mistyped path is far likelier than a mistyped key."""
    keys = []
    for value in values:
        path = Path(value)
        if path.is_dir():
            raise InvalidInput(f"{option}: {value} is a folder; give the key file in it (e.g. ledger.vkey)")
        try:
            if path.is_file():
                keys.append(parse_vkey(path.read_text(encoding="ascii").strip()))
                continue
            keys.append(parse_vkey(value))
        except LedgerError as exc:
            if not path.exists() and (
                ("/" in value and "+" not in value) or path.suffix in (".vkey", ".pub")
            ):
                raise InvalidInput(f"{option}: no such file: {value}") from exc
            where = f"{value}: " if path.is_file() else ""
            raise InvalidInput(f"{option}: {where}{exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{option}: cannot read {value} ({type(exc).__name__})") from exc
    return keys
