"""programme invitations: addresses invited to a programme before they have an account

Revision ID: 0019_programme_invitations
Revises: 0018_activity_indexes
Create Date: 2026-12-03 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_programme_invitations"
down_revision = "0018_activity_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "programme_invitations",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["users.id"],
            name=op.f("fk_programme_invitations_invited_by_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"],
            name=op.f("fk_programme_invitations_programme_id_programmes"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", "email", name=op.f("pk_programme_invitations")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_programme_invitations_email"), "programme_invitations", ["email"]
    )


def downgrade():
    op.drop_index(op.f("ix_programme_invitations_email"), table_name="programme_invitations")
    op.drop_table("programme_invitations")
