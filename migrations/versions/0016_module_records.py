"""module records: where each learner stands in each module, kept for the reports

Revision ID: 0016_module_records
Revises: 0015_programmes
Create Date: 2026-12-03 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_module_records"
down_revision = "0015_programmes"
branch_labels = None
depends_on = None

# Every learner's standing from their reading and quizzes so far, by the rule of
# learn/services.py (every lesson completed, and the quiz passed if the module has one).
FILL = """
INSERT INTO module_records
    (user_id, module_id, started_at, completed_at, attempted, passed, last_active_at)
SELECT t.user_id, t.module_id, min(t.opened_at),
       CASE WHEN count(t.read_at) = coalesce(max(s.lessons), -1)
                 AND (max(q.module_id) IS NULL OR min(t.passed_at) IS NOT NULL)
            THEN CASE WHEN min(t.passed_at) > max(t.read_at) THEN min(t.passed_at)
                      ELSE max(t.read_at) END
       END,
       max(t.attempted) = 1, min(t.passed_at) IS NOT NULL, max(t.at)
FROM (
    SELECT p.user_id, l.module_id, p.opened_at, p.completed_at AS read_at,
           NULL AS passed_at, 0 AS attempted, coalesce(p.completed_at, p.opened_at) AS at
    FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id
    UNION ALL
    SELECT a.user_id, a.module_id, NULL, NULL, CASE WHEN a.passed THEN a.submitted_at END, 1,
           a.submitted_at
    FROM quiz_attempts a WHERE a.submitted_at IS NOT NULL
) t
LEFT JOIN (SELECT module_id, count(*) AS lessons FROM lessons GROUP BY module_id) s
       ON s.module_id = t.module_id
LEFT JOIN (SELECT DISTINCT module_id FROM quiz_questions WHERE kind <> 'description') q
       ON q.module_id = t.module_id
GROUP BY t.user_id, t.module_id
"""


def upgrade():
    op.create_table(
        "module_records",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempted", sa.Boolean(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"],
            name=op.f("fk_module_records_module_id_modules"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_module_records_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "module_id", name=op.f("pk_module_records")),
    )  # fmt: skip
    op.create_index("ix_module_records_module_id", "module_records", ["module_id"])
    op.create_index("ix_module_records_last_active_at", "module_records", ["last_active_at"])
    op.execute(FILL)


def downgrade():
    op.drop_index("ix_module_records_last_active_at", table_name="module_records")
    op.drop_index("ix_module_records_module_id", table_name="module_records")
    op.drop_table("module_records")
