"""What every command-line adapter shares: the context (settings, database), error reporting with exit
codes, and Rich consoles. Below every capability, so each can mount its own commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from typer.core import TyperGroup

from jaga.errors import DatabaseUnavailable, JagaError
from jaga.settings import Settings

console = Console()
err_console = Console(stderr=True)


@dataclass
class CliContext:
    """Built once by the root callback; commands reach it through `ctx.obj`."""

    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self) -> Engine:
        if self._engine is None:
            from jaga.db import create_engine_for

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


class JagaGroup(TyperGroup):
    """Turns jaga's errors into a message on stderr and the error's exit code, in one place."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except JagaError as exc:
            fail(exc)
        except OperationalError as exc:
            fail(DatabaseUnavailable(f"the database cannot be reached ({type(exc.orig).__name__})"))
