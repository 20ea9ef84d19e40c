"""email confirmation: when each person confirmed their email

Revision ID: 0011_email_confirmation
Revises: 0010_company_tax_code
Create Date: 2026-12-02 20:00:00

The accounts that exist already keep counting in their company: they are taken as
confirmed when they were created.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_email_confirmation"
down_revision = "0010_company_tax_code"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("email_confirmed_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE users SET email_confirmed_at = created_at")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email_confirmed_at")
