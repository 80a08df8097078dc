"""Running the Alembic history programmatically (the one schema owner)."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData

from jaga.errors import SchemaOutOfDate


def alembic_config(engine: Engine, *, metadata: MetaData | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("jaga.db") / "migrations"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    if metadata is not None:
        config.attributes["target_metadata"] = metadata
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_current(engine: Engine) -> None:
    """Refuse to run against a database whose schema is behind (or ahead of) this code."""
    current, head = current_revision(engine), head_revision(engine)
    if current != head:
        raise SchemaOutOfDate(
            f"database schema is at revision {current or 'none'}, this jaga needs {head}; "
            "run `jaga db upgrade`"
        )
