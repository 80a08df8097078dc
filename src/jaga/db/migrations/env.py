"""Alembic environment for jaga. Run through `jaga db upgrade` (or `jaga.db.migrate`), not bare `alembic`.

The caller passes an open connection (and, for autogenerate only, the models' metadata) in
`config.attributes`, so this file imports nothing from the capabilities above the database layer.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

config = context.config
target_metadata = config.attributes.get("target_metadata")


def run_migrations(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them; batch mode does that for us
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as fresh:
        run_migrations(fresh)
    engine.dispose()
