"""tip phone index: people's phones looked up by their digits, for matching tips

Revision ID: 0016
Revises: 0015
Create Date: 2027-03-09 01:00:00.000000

`jaga.tips.matching.match_phone` compares a tip's phone with people's phones stripped of separators;
without an index on that expression every tip read the whole `people` table. An index only: the
previous release neither reads nor writes anything new (its identical query just gets faster).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same text `jaga.registry.models.people.phone_digits` renders (written out: a migration never
# changes with the model). Separators: space - . ( ) + /
_DIGITS = (
    "replace(replace(replace(replace(replace(replace(replace("
    "phone, ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', ''), '/', '')"
)


def upgrade() -> None:
    op.create_index("ix_people_phone_digits", "people", [sa.text(_DIGITS)], unique=False)


def downgrade() -> None:
    op.drop_index("ix_people_phone_digits", table_name="people")
