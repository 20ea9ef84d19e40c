"""lesson review and schedule: a draft marked ready for review, or to publish at a time

Revision ID: 0021_lesson_review_schedule
Revises: 0020_lesson_revisions
Create Date: 2026-12-03 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_lesson_review_schedule"
down_revision = "0020_lesson_revisions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("lesson_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publish_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("review_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("review_requested_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_lesson_revisions_review_requested_by_id_users", "users",
            ["review_requested_by_id"], ["id"], ondelete="SET NULL",
        )  # fmt: skip
        batch_op.create_index("ix_lesson_revisions_publish_at", ["publish_at"])


def downgrade():
    with op.batch_alter_table("lesson_revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_revisions_publish_at")
        batch_op.drop_constraint(
            "fk_lesson_revisions_review_requested_by_id_users", type_="foreignkey"
        )
        batch_op.drop_column("review_requested_by_id")
        batch_op.drop_column("review_requested_at")
        batch_op.drop_column("publish_at")
