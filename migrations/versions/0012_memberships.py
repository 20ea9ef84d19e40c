"""memberships: a person's place in a company has states and a history; weekly reminders

Revision ID: 0012_memberships
Revises: 0011_email_confirmation
Create Date: 2026-12-03 07:00:00

Today's members become active members (how they joined is not known: "import"), and
whoever managed a company keeps managing it; a company with no manager is managed by its
earliest member. users.company_id and users.is_company_manager then go: the memberships
say both.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_memberships"
down_revision = "0011_email_confirmation"
branch_labels = None
depends_on = None

ACTIVE = sa.text("state = 'active'")


def upgrade():
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("is_manager", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('invited', 'requested', 'active', 'removed')",
            name=op.f("ck_memberships_state"),
        ),
        sa.CheckConstraint(
            "source IN ('founder', 'invitation', 'link', 'request', 'import')",
            name=op.f("ck_memberships_source"),
        ),
        sa.CheckConstraint(
            "user_id IS NOT NULL OR email IS NOT NULL", name=op.f("ck_memberships_someone")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"],
            name=op.f("fk_memberships_company_id_companies"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["users.id"], name=op.f("fk_memberships_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_memberships_approved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["users.id"], name=op.f("fk_memberships_ended_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
    )
    op.create_index("ix_memberships_company_state", "memberships", ["company_id", "state"])
    op.create_index(op.f("ix_memberships_user_id"), "memberships", ["user_id"])
    op.create_index(
        "uq_memberships_active_user", "memberships", ["user_id"], unique=True,
        sqlite_where=ACTIVE, postgresql_where=ACTIVE,
    )
    op.execute(
        sa.text(
            """
            INSERT INTO memberships (company_id, user_id, state, source, is_manager, digest,
                                     created_at, joined_at)
            SELECT company_id, id, 'active', 'import', is_company_manager, :no,
                   created_at, created_at
            FROM users WHERE company_id IS NOT NULL
            """
        ).bindparams(no=False)
    )
    op.execute(
        sa.text(
            """
            UPDATE memberships SET is_manager = :yes
            WHERE id IN (
                SELECT MIN(m.id) FROM memberships m
                GROUP BY m.company_id
                HAVING SUM(CASE WHEN m.is_manager THEN 1 ELSE 0 END) = 0
            )
            """
        ).bindparams(yes=True)
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_company_id")
        batch_op.drop_constraint("fk_users_company_id_companies", type_="foreignkey")
        batch_op.drop_column("company_id")
        batch_op.drop_column("is_company_manager")
        batch_op.add_column(
            sa.Column("reminders", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("reminders", server_default=None)
    op.add_column("companies", sa.Column("invite_nonce", sa.String(length=32), nullable=True))
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sent_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
        sa.UniqueConstraint(
            "user_id", "kind", "week", name=op.f("uq_sent_reminders_user_id_kind_week")
        ),
    )


def downgrade():
    op.drop_table("sent_reminders")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_column("invite_nonce")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("reminders")
        batch_op.add_column(
            sa.Column("is_company_manager", sa.Boolean(), nullable=False,
                      server_default=sa.false())
        )
        batch_op.add_column(sa.Column("company_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_users_company_id_companies", "companies", ["company_id"], ["id"]
        )
        batch_op.create_index("ix_users_company_id", ["company_id"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("is_company_manager", server_default=None)
    op.execute(
        """
        UPDATE users SET
          company_id = (SELECT m.company_id FROM memberships m
                        WHERE m.user_id = users.id AND m.state = 'active'),
          is_company_manager = COALESCE((SELECT m.is_manager FROM memberships m
                        WHERE m.user_id = users.id AND m.state = 'active'), is_company_manager)
        """
    )
    op.drop_table("memberships")
