from django.utils.translation import get_language


def in_language(norwegian: str, english: str) -> str:
    """The English text when English is active and there is one; the Norwegian otherwise.

    The catalog is data, not code: its names are kept in both languages in the database rather
    than in the translation files.
    """
    language = get_language() or ""
    if english and language.startswith("en"):
        return english
    return norwegian
