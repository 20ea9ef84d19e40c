"""certificates: a code, a holder, a module or a programme, revocation and re-issue, and
a position in the revocation status list

Revision ID: 0027_certificates
Revises: 0026_module_studio
Create Date: 2026-12-10 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_certificates"
down_revision = "0026_module_studio"
branch_labels = None
depends_on = None

STANDING = sa.text("revoked_at IS NULL AND replaced_at IS NULL")


def upgrade():
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("holder_name", sa.String(length=120), nullable=False),
        sa.Column("holder_locale", sa.String(length=5), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("search_key", sa.String(length=800), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("pdf_key", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "(module_id IS NULL) <> (programme_id IS NULL)",
            name=op.f("ck_certificates_module_or_programme"),
        ),
        sa.CheckConstraint(
            "holder_locale IN ('vi', 'en')", name=op.f("ck_certificates_holder_locale")
        ),
        sa.CheckConstraint("status_index >= 0", name=op.f("ck_certificates_status_index")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_certificates_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_certificates_module_id_modules"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"],
            name=op.f("fk_certificates_programme_id_programmes"), ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["users.id"], name=op.f("fk_certificates_issued_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["users.id"], name=op.f("fk_certificates_revoked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"], ["certificates.id"],
            name=op.f("fk_certificates_replaced_by_id_certificates"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("status_index", name=op.f("uq_certificates_status_index")),
    )  # fmt: skip
    op.create_index("ix_certificates_user_id", "certificates", ["user_id"])
    op.create_index("ix_certificates_issued_at", "certificates", ["issued_at"])
    op.create_index("ix_certificates_module_id", "certificates", ["module_id"])
    op.create_index("ix_certificates_programme_id", "certificates", ["programme_id"])
    op.create_index(
        "uq_certificates_user_module", "certificates", ["user_id", "module_id"], unique=True,
        sqlite_where=STANDING, postgresql_where=STANDING,
    )  # fmt: skip
    op.create_index(
        "uq_certificates_user_programme", "certificates", ["user_id", "programme_id"],
        unique=True, sqlite_where=STANDING, postgresql_where=STANDING,
    )  # fmt: skip


def downgrade():
    op.drop_index("uq_certificates_user_programme", table_name="certificates")
    op.drop_index("uq_certificates_user_module", table_name="certificates")
    op.drop_index("ix_certificates_programme_id", table_name="certificates")
    op.drop_index("ix_certificates_module_id", table_name="certificates")
    op.drop_index("ix_certificates_issued_at", table_name="certificates")
    op.drop_index("ix_certificates_user_id", table_name="certificates")
    op.drop_table("certificates")
