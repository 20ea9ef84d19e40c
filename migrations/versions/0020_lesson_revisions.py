"""lesson revisions: every saved text of a lesson kept, drafts, and the published pointer

Revision ID: 0020_lesson_revisions
Revises: 0019_programme_invitations
Create Date: 2026-12-03 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_lesson_revisions"
down_revision = "0019_programme_invitations"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lesson_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_lesson_revisions_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["lesson_id"], ["lessons.id"],
                                name=op.f("fk_lesson_revisions_lesson_id_lessons"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["lesson_revisions.id"],
                                name=op.f("fk_lesson_revisions_parent_id_lesson_revisions"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["published_by_id"], ["users.id"],
                                name=op.f("fk_lesson_revisions_published_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_revisions")),
    )  # fmt: skip
    op.create_index(
        "ix_lesson_revisions_lesson_locale", "lesson_revisions", ["lesson_id", "locale", "id"]
    )
    with op.batch_alter_table("lesson_translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("out_of_date", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_foreign_key(
            "fk_lesson_translations_revision_id_lesson_revisions", "lesson_revisions",
            ["revision_id"], ["id"], ondelete="SET NULL",
        )  # fmt: skip
    with op.batch_alter_table("lesson_translations", schema=None) as batch_op:
        batch_op.alter_column("out_of_date", server_default=None)
    # each published text becomes its first revision
    op.execute(
        "INSERT INTO lesson_revisions (lesson_id, locale, title, source, message, created_at,"
        " published_at) SELECT lesson_id, locale, title, source, '', updated_at, updated_at"
        " FROM lesson_translations"
    )
    op.execute(
        "UPDATE lesson_translations SET revision_id = (SELECT max(r.id) FROM lesson_revisions r"
        " WHERE r.lesson_id = lesson_translations.lesson_id"
        " AND r.locale = lesson_translations.locale)"
    )


def downgrade():
    with op.batch_alter_table("lesson_translations", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_lesson_translations_revision_id_lesson_revisions", type_="foreignkey"
        )
        batch_op.drop_column("out_of_date")
        batch_op.drop_column("revision_id")
    op.drop_index("ix_lesson_revisions_lesson_locale", table_name="lesson_revisions")
    op.drop_table("lesson_revisions")
