"""glossary in the studio: a term can be retired, and an edit there is known to imports

Revision ID: 0022_glossary_studio
Revises: 0021_lesson_review_schedule
Create Date: 2026-12-03 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_glossary_studio"
down_revision = "0021_lesson_review_schedule"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.alter_column("retired", server_default=None)


def downgrade():
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.drop_column("edited_at")
        batch_op.drop_column("retired")
