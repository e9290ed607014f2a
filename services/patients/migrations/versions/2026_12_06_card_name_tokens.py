"""card_name_tokens: the word index of card names, so every word of a name is searchable (PAT-3)

"водк" finds Петрова-Водкина: one row per word of the last, first and middle name, holding the
name part from that word to its end. Existing cards are indexed here, from their *_norm columns.

Revision ID: cc335cf31914
Revises: dd11a82e10f6
Create Date: 2026-12-06 02:51:48.851746+00:00

"""
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db


# revision identifiers, used by Alembic.
revision: str = 'cc335cf31914'
down_revision: str | None = 'dd11a82e10f6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of `patients.cards.names.name_tokens` as of this revision (migrations do not
# follow later changes of the application code).
_WORD_BREAKS = re.compile("[ \\-\u2010'\u2019\u02bc]+")
_BATCH = 1000


def _name_tokens(normalized: str) -> list[str]:
    tokens: list[str] = []
    start = 0
    for match in _WORD_BREAKS.finditer(normalized):
        if match.start() > start:
            tokens.append(normalized[start:])
        start = match.end()
    if start < len(normalized):
        tokens.append(normalized[start:])
    return tokens


def upgrade() -> None:
    op.create_table('card_name_tokens',
    sa.Column('card_id', clinic_shared.db.GUID(length=36), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('token', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_name_tokens_card_id_cards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('card_id', 'position', name=op.f('pk_card_name_tokens'))
    )
    _backfill()
    with op.batch_alter_table('card_name_tokens', schema=None) as batch_op:
        batch_op.create_index('ix_card_name_tokens_token', ['token', 'card_id'], unique=False, postgresql_ops={'token': 'text_pattern_ops'})


def _backfill() -> None:
    """Index every existing card, a thousand at a time (keyset on id); the index is built after."""
    cards = sa.table(
        'cards',
        sa.column('id', clinic_shared.db.GUID(length=36)),
        sa.column('last_name_norm', sa.String()),
        sa.column('first_name_norm', sa.String()),
        sa.column('middle_name_norm', sa.String()),
    )
    tokens = sa.table(
        'card_name_tokens',
        sa.column('card_id', clinic_shared.db.GUID(length=36)),
        sa.column('position', sa.SmallInteger()),
        sa.column('token', sa.String()),
    )
    connection = op.get_bind()
    last_id = None
    while True:
        statement = sa.select(cards.c.id, cards.c.last_name_norm, cards.c.first_name_norm, cards.c.middle_name_norm)
        if last_id is not None:
            statement = statement.where(cards.c.id > last_id)
        rows = connection.execute(statement.order_by(cards.c.id).limit(_BATCH)).all()
        if not rows:
            return
        values = [
            {'card_id': card_id, 'position': position, 'token': token}
            for card_id, *names in rows
            for position, token in enumerate(t for name in names for t in _name_tokens(name or ''))
        ]
        if values:
            connection.execute(tokens.insert(), values)
        last_id = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table('card_name_tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_card_name_tokens_token', postgresql_ops={'token': 'text_pattern_ops'})

    op.drop_table('card_name_tokens')
