"""rendered questions: each question's texts kept as the HTML rendered at import

Revision ID: 0007_rendered_questions
Revises: 0006_login_sessions
Create Date: 2026-12-02 18:30:00

The questions already stored are rendered here, by the application's own renderer.
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0007_rendered_questions"
down_revision = "0006_login_sessions"
branch_labels = None
depends_on = None


def upgrade():
    from app.quizzes import gift
    from app.quizzes.rendering import render_question

    with op.batch_alter_table("quiz_question_translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rendered", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, source FROM quiz_question_translations"))
    for row_id, source in rows.all():
        rendered = render_question(gift.parse(source)[0]).stored()
        connection.execute(
            sa.text("UPDATE quiz_question_translations SET rendered = :r WHERE id = :i"),
            {"r": json.dumps(rendered), "i": row_id},
        )
    with op.batch_alter_table("quiz_question_translations", schema=None) as batch_op:
        batch_op.alter_column("rendered", existing_type=sa.JSON(), nullable=False)


def downgrade():
    with op.batch_alter_table("quiz_question_translations", schema=None) as batch_op:
        batch_op.drop_column("rendered")
