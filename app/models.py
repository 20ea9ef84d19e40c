"""Imports every feature's models so that the metadata (migrations, tests) sees them all."""

from app.assessment.models import Assessment, AssessmentInstrument, CompanyResult, Recommendation
from app.audit import AuditEntry
from app.auth.models import AccountToken, Company, LoginSession, Membership, User
from app.cache import ContentVersion
from app.certificates.models import Certificate
from app.content.models import (
    GlossaryTerm,
    GlossaryTranslation,
    Lesson,
    LessonRevision,
    LessonTranslation,
    Module,
    ModuleTranslation,
)
from app.learn.models import LessonProgress, ModuleRecord
from app.programmes.models import Programme, ProgrammeInvitation
from app.quizzes.models import (
    QuizAttempt,
    QuizAttemptItem,
    QuizFile,
    QuizQuestion,
    QuizQuestionTranslation,
    QuizQuestionVersion,
    QuizQuestionVersionText,
)
from app.reminders.models import SentReminder
from app.search.models import SearchEntry

__all__ = [
    "AccountToken",
    "AuditEntry",
    "Certificate",
    "Assessment",
    "AssessmentInstrument",
    "CompanyResult",
    "Company",
    "ContentVersion",
    "GlossaryTerm",
    "GlossaryTranslation",
    "Lesson",
    "LessonProgress",
    "LessonRevision",
    "ModuleRecord",
    "LessonTranslation",
    "Membership",
    "Module",
    "ModuleTranslation",
    "Programme",
    "ProgrammeInvitation",
    "QuizAttempt",
    "Recommendation",
    "QuizAttemptItem",
    "QuizFile",
    "QuizQuestion",
    "QuizQuestionTranslation",
    "QuizQuestionVersion",
    "QuizQuestionVersionText",
    "LoginSession",
    "SearchEntry",
    "SentReminder",
    "User",
]
