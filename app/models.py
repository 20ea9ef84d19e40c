"""Imports every feature's models so that the metadata (migrations, tests) sees them all."""

from app.auth.models import Company, User
from app.content.models import Lesson, LessonTranslation, Module, ModuleTranslation
from app.learn.models import LessonProgress

__all__ = [
    "Company",
    "Lesson",
    "LessonProgress",
    "LessonTranslation",
    "Module",
    "ModuleTranslation",
    "User",
]
