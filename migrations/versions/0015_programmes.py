"""programmes: named intakes, the modules they require, the companies and learners enrolled

Revision ID: 0015_programmes
Revises: 0014_user_search
Create Date: 2026-12-03 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_programmes"
down_revision = "0014_user_search"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_vi", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    for table, column, target in (
        ("programme_modules", "module_id", "modules"),
        ("programme_companies", "company_id", "companies"),
        ("programme_learners", "user_id", "users"),
    ):
        op.create_table(
            table,
            sa.Column("programme_id", sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["programme_id"], ["programmes.id"],
                name=op.f(f"fk_{table}_programme_id_programmes"), ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("programme_id", column, name=op.f(f"pk_{table}")),
        )
        if table != "programme_modules":
            op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def downgrade():
    op.drop_table("programme_learners")
    op.drop_table("programme_companies")
    op.drop_table("programme_modules")
    op.drop_table("programmes")
