"""recommendations: the modules each person's latest assessment recommends, kept

Revision ID: 0017_recommendations
Revises: 0016_module_records
Create Date: 2026-12-03 12:30:00

The rows follow from the instrument, the course and each stored result, which only the
application can score: `flask reports recount` fills them on a database that has
assessments already (docs/architecture.md, "Administration's figures").
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_recommendations"
down_revision = "0016_module_records"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recommendations",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"],
            name=op.f("fk_recommendations_module_id_modules"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_recommendations_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "module_id", name=op.f("pk_recommendations")),
    )  # fmt: skip


def downgrade():
    op.drop_table("recommendations")
