"""company founders: each company without a manager is managed by its earliest member

Revision ID: 0009_company_founders
Revises: 0008_account_tokens
Create Date: 2026-12-02 19:30:00

Until now only the demo set the flag, so the person who registered a company could not
open its company view.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_company_founders"
down_revision = "0008_account_tokens"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            """
            UPDATE users SET is_company_manager = :yes
            WHERE id IN (
                SELECT MIN(u.id) FROM users u
                WHERE u.company_id IS NOT NULL
                GROUP BY u.company_id
                HAVING SUM(CASE WHEN u.is_company_manager THEN 1 ELSE 0 END) = 0
            )
            """
        ).bindparams(yes=True)
    )


def downgrade():
    pass  # who manages a company is kept: there is no telling the founders apart
