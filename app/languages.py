"""The languages of the platform: the interface, every lesson, quiz and assessment
question exists in each of them, Vietnamese first. Pure: no Flask, no database."""

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = LANGUAGES[0]


def N_(message: str) -> str:
    """Mark a message for the translation catalogue where it is defined; it is
    translated where it is shown (``gettext(message) % params``)."""
    return message


#: each language's name, for messages about files and translations
LANGUAGE_NAMES = {"vi": N_("Vietnamese"), "en": N_("English")}
