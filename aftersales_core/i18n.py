"""Translations of the core's words: decision reasons, error messages and labels.

The core writes English; its gettext catalogs (``aftersales_core/locale/<lang>/LC_MESSAGES/
aftersales_core.mo``, shipped in the package) hold the Chinese (``zh_TW``, the seeds'
Traditional script, and ``zh_CN``, Simplified). The host picks the language: it wraps the
core call in :func:`use_locale` (a context variable, so threads and asyncio tasks each
keep their own), and everything the core says in that block comes out in that language::

    from aftersales_core.i18n import use_locale

    with use_locale("zh_TW"):
        decision = warranty_decision(...)
    decision.reasons  # Traditional Chinese; the rule id (R10) stays in the sentence

Message ids stay English; a language without a catalog (or no locale at all) reads
English. Reasons and messages remain plain strings.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import lru_cache
from pathlib import Path

__all__ = [
    "DOMAIN",
    "LOCALES",
    "LOCALE_DIR",
    "N_",
    "_",
    "current_locale",
    "gettext_for",
    "normalize_locale",
    "reset_locale",
    "set_locale",
    "use_locale",
]

DOMAIN = "aftersales_core"
"""The gettext domain of the core's catalogs."""

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""Where the catalogs are: ``LOCALE_DIR/<lang>/LC_MESSAGES/aftersales_core.mo``."""

LOCALES = ("zh_CN", "zh_TW")
"""The languages the core ships catalogs for (English is the source)."""

_ALIASES = {
    "zh": "zh_CN",
    "zh_hans": "zh_CN",
    "zh_sg": "zh_CN",
    "zh_hant": "zh_TW",
    "zh_hk": "zh_TW",
    "zh_mo": "zh_TW",
}

_current: ContextVar[str | None] = ContextVar("aftersales_core_locale", default=None)


def normalize_locale(lang: str | None) -> str | None:
    """``"zh-tw"``, ``"zh_TW.UTF-8"`` or ``"zh_Hant_TW"`` -> ``"zh_TW"``; ``None``, ``""``,
    ``"C"``, ``"POSIX"`` and English -> ``None`` (English). Other languages keep their
    ``ll_CC`` form (they read English until a catalog exists)."""
    if not lang:
        return None
    code = lang.split(".")[0].split("@")[0].replace("-", "_").strip()
    low = code.lower()
    if low in ("", "c", "posix") or low == "en" or low.startswith("en_"):
        return None
    if low.startswith("zh"):
        if "hant" in low or low in ("zh_tw", "zh_hk", "zh_mo"):
            return "zh_TW"
        if "hans" in low or low in ("zh_cn", "zh_sg"):
            return "zh_CN"
        return _ALIASES.get(low, "zh_CN")
    parts = code.split("_")
    if len(parts) >= 2:
        return f"{parts[0].lower()}_{parts[-1].upper()}"
    return parts[0].lower()


@lru_cache(maxsize=16)
def _catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)


def gettext_for(lang: str | None, message: str) -> str:
    """``message`` translated into ``lang`` (English when there is no catalog for it)."""
    code = normalize_locale(lang)
    if code is None:
        return message
    return _catalog(code).gettext(message)


def current_locale() -> str | None:
    """The locale the core speaks in this context (``None``: English)."""
    return _current.get()


def set_locale(lang: str | None) -> Token[str | None]:
    """Set the locale of this context; returns the token for :func:`reset_locale`."""
    return _current.set(normalize_locale(lang))


def reset_locale(token: Token[str | None]) -> None:
    """Restore the locale that was in force before :func:`set_locale` returned ``token``."""
    _current.reset(token)


@contextmanager
def use_locale(lang: str | None) -> Iterator[str | None]:
    """Within the block the core speaks ``lang`` (``"zh_TW"``, ``"zh_CN"``; ``None`` or
    ``"en_US"``: English); yields the normalised locale."""
    token = set_locale(lang)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """``message`` (an English message id) in the current locale."""
    code = _current.get()
    if code is None:
        return message
    return _catalog(code).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it now (module-level tables);
    translate it with :func:`_` where it is used."""
    return message
