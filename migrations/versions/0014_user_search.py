"""user search: each account's name and email without case or diacritics

Revision ID: 0014_user_search
Revises: 0013_audit_log
Create Date: 2026-12-03 09:30:00

Filled here for the accounts that exist (the rule of app.text.fold, repeated so that the
migration does not change if that module does).
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0014_user_search"
down_revision = "0013_audit_log"
branch_labels = None
depends_on = None


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def upgrade():
    op.add_column(
        "users",
        sa.Column("search_key", sa.String(length=400), nullable=False, server_default=""),
    )
    connection = op.get_bind()
    users = sa.table("users", sa.column("id"), sa.column("name"), sa.column("email"),
                     sa.column("search_key"))  # fmt: skip
    rows = connection.execute(sa.select(users.c.id, users.c.name, users.c.email)).all()
    for user_id, name, email in rows:
        connection.execute(
            users.update().where(users.c.id == user_id).values(search_key=fold(f"{name} {email}"))
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("search_key", server_default=None)


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("search_key")
