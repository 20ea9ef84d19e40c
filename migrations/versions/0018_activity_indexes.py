"""activity indexes: who did something since a date, read by a range over each moment

Revision ID: 0018_activity_indexes
Revises: 0017_recommendations
Create Date: 2026-12-03 13:00:00
"""

from alembic import op

revision = "0018_activity_indexes"
down_revision = "0017_recommendations"
branch_labels = None
depends_on = None

# with module_records.last_active_at, every moment the dashboard's "active since" reads
INDEXES = (
    ("ix_assessments_submitted_at", "assessments", "submitted_at"),
    ("ix_users_last_login_at", "users", "last_login_at"),
)


def upgrade():
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade():
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
