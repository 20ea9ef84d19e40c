"""company tax code: a company's mã số thuế, optional and unique

Revision ID: 0010_company_tax_code
Revises: 0009_company_founders
Create Date: 2026-12-02 19:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0010_company_tax_code"
down_revision = "0009_company_founders"
branch_labels = None
depends_on = None


def upgrade():
    # a column added and a unique index: no table is rebuilt, even on SQLite
    op.add_column("companies", sa.Column("tax_code", sa.String(length=13), nullable=True))
    op.create_index("uq_companies_tax_code", "companies", ["tax_code"], unique=True)


def downgrade():
    op.drop_index("uq_companies_tax_code", table_name="companies")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_column("tax_code")
