"""Imports every feature's models so that the metadata (migrations, tests) sees them all."""

from app.auth.models import Company, User
from app.content.models import (
    ContentState,
    GlossaryTerm,
    GlossaryTranslation,
    Lesson,
    LessonTranslation,
    Module,
    ModuleTranslation,
)
from app.learn.models import LessonProgress

__all__ = [
    "Company",
    "ContentState",
    "GlossaryTerm",
    "GlossaryTranslation",
    "Lesson",
    "LessonProgress",
    "LessonTranslation",
    "Module",
    "ModuleTranslation",
    "User",
]
