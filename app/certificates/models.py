from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.auth.models import User
from app.content.models import Module
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.languages import LANGUAGES
from app.programmes.models import Programme

#: a certificate that still stands: neither revoked nor replaced by a re-issue
_STANDING = text("revoked_at IS NULL AND replaced_at IS NULL")


class Certificate(db.Model):
    """A certificate of a module (or of a programme) completed: the one record that its
    PDF, its public verify page and its signed digital credential all show, and whose
    revocation each of them reports."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint(
            "(module_id IS NULL) <> (programme_id IS NULL)", name="module_or_programme"
        ),
        CheckConstraint(f"holder_locale IN {LANGUAGES}", name="holder_locale"),
        CheckConstraint("status_index >= 0", name="status_index"),
        # A learner holds at most one standing certificate of a module or a programme: of
        # two issued at the same moment, the second is refused and finds the first.
        Index("uq_certificates_user_module", "user_id", "module_id", unique=True,
              sqlite_where=_STANDING, postgresql_where=_STANDING),
        Index("uq_certificates_user_programme", "user_id", "programme_id", unique=True,
              sqlite_where=_STANDING, postgresql_where=_STANDING),
        Index("ix_certificates_issued_at", "issued_at"),
        Index("ix_certificates_module_id", "module_id"),
        Index("ix_certificates_programme_id", "programme_id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the code printed on it, ungrouped (app.certificates.codes)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="RESTRICT"))
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="RESTRICT")
    )
    #: the holder's name as issued, in Unicode NFC; a correction is a re-issue
    holder_name: Mapped[str] = mapped_column(String(120))
    #: the holder's language when issued: the PDF shows it first
    holder_locale: Mapped[str] = mapped_column(String(5))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the administrator who issued it by hand; None when issued on completion
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: why it was issued by hand (offline training, a re-issue...)
    reason: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    #: when a re-issue replaced it, and by which certificate
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )
    #: its position in the revocation status list, allocated in order of issue
    status_index: Mapped[int] = mapped_column(unique=True)
    #: the holder's name, the code and the titles without case or diacritics, for search
    search_key: Mapped[str] = mapped_column(String(800), default="")
    #: the PDF as last made, and what it was made from (its digest): made again when that
    #: changes, served from here otherwise
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_key: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    module: Mapped[Module | None] = relationship()
    programme: Mapped[Programme | None] = relationship()
    replaced_by: Mapped["Certificate | None"] = relationship(remote_side=[id])

    @property
    def state(self) -> str:
        """valid, revoked or replaced"""
        if self.revoked_at is not None:
            return "revoked"
        if self.replaced_at is not None:
            return "replaced"
        return "valid"

    @property
    def kind(self) -> str:
        return "module" if self.module_id is not None else "programme"

    def titles(self) -> dict[str, str]:
        """The module's or the programme's title, by language."""
        if self.module is not None:
            return {locale: self.module.text(locale).title for locale in LANGUAGES}
        assert self.programme is not None
        return {locale: self.programme.name(locale) for locale in LANGUAGES}
