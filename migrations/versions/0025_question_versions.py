"""question versions: every change of a question kept, and the version each attempt used

Revision ID: 0025_question_versions
Revises: 0024_media
Create Date: 2026-12-04 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_question_versions"
down_revision = "0024_media"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "quiz_question_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("lesson_slug", sa.String(length=80), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_quiz_question_versions_number")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_quiz_question_versions_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["question_id"], ["quiz_questions.id"],
                                name=op.f("fk_quiz_question_versions_question_id_quiz_questions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_question_versions")),
        sa.UniqueConstraint("question_id", "number",
                            name=op.f("uq_quiz_question_versions_question_id_number")),
    )  # fmt: skip
    op.create_table(
        "quiz_question_version_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("rendered", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["quiz_question_versions.id"],
            name=op.f("fk_quiz_question_version_texts_version_id_quiz_question_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_question_version_texts")),
        sa.UniqueConstraint("version_id", "locale",
                            name=op.f("uq_quiz_question_version_texts_version_id_locale")),
    )  # fmt: skip
    with op.batch_alter_table("quiz_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.alter_column("position", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("quiz_questions", schema=None) as batch_op:
        batch_op.alter_column("version", server_default=None)
    with op.batch_alter_table("quiz_attempt_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_quiz_attempt_items_version_id", ["version_id"])
        batch_op.create_foreign_key(
            "fk_quiz_attempt_items_version_id_quiz_question_versions", "quiz_question_versions",
            ["version_id"], ["id"], ondelete="CASCADE",
        )  # fmt: skip
    # each question as stored becomes its version 1, which the marks so far were graded with
    op.execute(
        "INSERT INTO quiz_question_versions (question_id, number, kind, lesson_slug, created_at,"
        " message) SELECT id, 1, kind, lesson_slug, CURRENT_TIMESTAMP, '' FROM quiz_questions"
    )
    op.execute(
        "INSERT INTO quiz_question_version_texts (version_id, locale, source, rendered)"
        " SELECT v.id, t.locale, t.source, t.rendered FROM quiz_question_translations t"
        " JOIN quiz_question_versions v ON v.question_id = t.question_id"
    )
    op.execute(
        "UPDATE quiz_attempt_items SET version_id = (SELECT v.id FROM quiz_question_versions v"
        " WHERE v.question_id = quiz_attempt_items.question_id)"
    )


def downgrade():
    op.execute("DELETE FROM quiz_questions WHERE position IS NULL")  # retired since
    with op.batch_alter_table("quiz_attempt_items", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_quiz_attempt_items_version_id_quiz_question_versions", type_="foreignkey"
        )
        batch_op.drop_index("ix_quiz_attempt_items_version_id")
        batch_op.drop_column("version_id")
    with op.batch_alter_table("quiz_questions", schema=None) as batch_op:
        batch_op.alter_column("position", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("version")
    op.drop_table("quiz_question_version_texts")
    op.drop_table("quiz_question_versions")
