"""media: a module's images and downloadable files, kept in the database

Revision ID: 0024_media
Revises: 0023_one_edit_per_revision
Create Date: 2026-12-04 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_media"
down_revision = "0023_one_edit_per_revision"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "module_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("phone", sa.LargeBinary(), nullable=True),
        sa.Column("phone_size", sa.Integer(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("alt_vi", sa.String(length=300), nullable=False),
        sa.Column("alt_en", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_sha256", sa.String(length=64), nullable=True),
        sa.Column("imported_digest", sa.String(length=64), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('image', 'file')", name=op.f("ck_module_media_kind")),
        sa.CheckConstraint(
            "kind = 'file' OR (width > 0 AND height > 0 AND alt_vi <> '' AND alt_en <> '')",
            name=op.f("ck_module_media_image_fields"),
        ),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_module_media_module_id_modules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_module_media_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module_media")),
        sa.UniqueConstraint("module_id", "name", name=op.f("uq_module_media_module_id_name")),
    )  # fmt: skip


def downgrade():
    op.drop_table("module_media")
