"""one edit per revision: two saves from the same revision cannot both be written

Revision ID: 0023_one_edit_per_revision
Revises: 0022_glossary_studio
Create Date: 2026-12-03 18:00:00
"""

from alembic import op

revision = "0023_one_edit_per_revision"
down_revision = "0022_glossary_studio"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "uq_lesson_revisions_parent", "lesson_revisions", ["lesson_id", "locale", "parent_id"],
        unique=True,
    )  # fmt: skip


def downgrade():
    op.drop_index("uq_lesson_revisions_parent", table_name="lesson_revisions")
