"""modules in the studio: retired, renamed (former identifiers kept), and when a quiz's
review shows the right answers

Revision ID: 0026_module_studio
Revises: 0025_question_versions
Create Date: 2026-12-03 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_module_studio"
down_revision = "0025_question_versions"
branch_labels = None
depends_on = None

REVEAL = "('after-attempt', 'once-passed', 'after-last-attempt')"


def upgrade():
    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "quiz_answers", sa.String(length=20), nullable=False, server_default="after-attempt"
            )
        )
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint("quiz_answers", f"quiz_answers IN {REVEAL}")
    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.alter_column("quiz_answers", server_default=None)
    op.create_table(
        "module_former_slugs",
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["module_id"], ["modules.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_index("ix_module_former_slugs_module_id", "module_former_slugs", ["module_id"])


def downgrade():
    op.drop_index("ix_module_former_slugs_module_id", table_name="module_former_slugs")
    op.drop_table("module_former_slugs")
    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.drop_constraint("quiz_answers", type_="check")
        batch_op.drop_column("retired_at")
        batch_op.drop_column("quiz_answers")
