"""core: question kinds without a CHECK, matched answers kept, results kept as scored

Revision ID: 0005_core
Revises: 0004_assessment
Create Date: 2026-12-02 12:00:00

"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0005_core"
down_revision = "0004_assessment"
branch_labels = None
depends_on = None

KINDS = ("single", "multi", "truefalse", "short", "numerical", "matching", "essay", "description")


def _backfill_results(connection) -> None:
    """Score each submitted assessment with the instrument stored now, as it was shown
    (the pure scoring module is the one the application uses)."""
    from app.assessment import instrument as instrument_module
    from app.assessment import scoring

    row = connection.execute(sa.text("SELECT source FROM assessment_instruments")).first()
    if row is None:
        return
    digest = hashlib.sha256(row.source.encode("utf-8")).hexdigest()
    connection.execute(sa.text("UPDATE assessment_instruments SET digest = :d"), {"d": digest})
    instrument = instrument_module.parse(row.source)
    snapshots = connection.execute(
        sa.text("SELECT id, answers FROM assessments WHERE submitted_at IS NOT NULL")
    ).all()
    for snapshot_id, raw in snapshots:
        answers = json.loads(raw) if isinstance(raw, str) else (raw or {})
        kept = {}
        for question_id, answer in answers.items():
            question = instrument.by_id.get(question_id)
            if question is None:
                continue
            try:
                scoring.score_answer(question, answer)
            except scoring.AnswerError:
                continue
            kept[question_id] = answer
        result = scoring.result_to_dict(scoring.assess(instrument, kept))
        connection.execute(
            sa.text("UPDATE assessments SET result = :r, instrument_digest = :d WHERE id = :i"),
            {"r": json.dumps(result), "d": digest, "i": snapshot_id},
        )


def upgrade():
    with op.batch_alter_table("quiz_questions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_quiz_questions_kind"), type_="check")
    with op.batch_alter_table("quiz_attempt_items", schema=None) as batch_op:
        batch_op.alter_column("chosen", new_column_name="matched")
    with op.batch_alter_table("assessment_instruments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest", sa.String(length=64), nullable=True))
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("result", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("instrument_digest", sa.String(length=64), nullable=True))
    _backfill_results(op.get_bind())
    with op.batch_alter_table("assessment_instruments", schema=None) as batch_op:
        batch_op.alter_column("digest", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("dimensions")
        batch_op.drop_column("islands")


def downgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("islands", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("dimensions", sa.JSON(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, result FROM assessments WHERE result IS NOT NULL")
    ).all()
    for snapshot_id, raw in rows:
        result = json.loads(raw) if isinstance(raw, str) else raw
        connection.execute(
            sa.text("UPDATE assessments SET dimensions = :d, islands = :s WHERE id = :i"),
            {
                "d": json.dumps(result["dimensions"]),
                "s": json.dumps(result["islands"]),
                "i": snapshot_id,
            },
        )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("instrument_digest")
        batch_op.drop_column("result")
    with op.batch_alter_table("assessment_instruments", schema=None) as batch_op:
        batch_op.drop_column("digest")
    with op.batch_alter_table("quiz_attempt_items", schema=None) as batch_op:
        batch_op.alter_column("matched", new_column_name="chosen")
    with op.batch_alter_table("quiz_questions", schema=None) as batch_op:
        batch_op.create_check_constraint("kind", f"kind IN {KINDS}")
