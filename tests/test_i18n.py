"""The core speaks the host's language: gettext catalogs (zh_TW, zh_CN) under use_locale."""

from __future__ import annotations

import gettext
import re
import threading
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from aftersales_core.cli import cli_locale, main
from aftersales_core.errors import InvalidInput, RoleNotAllowed
from aftersales_core.forms import json_schema
from aftersales_core.i18n import (
    DOMAIN,
    LOCALE_DIR,
    LOCALES,
    _,
    current_locale,
    normalize_locale,
    use_locale,
)
from aftersales_core.labels import label
from aftersales_core.rules import route_return
from aftersales_core.rules.warranty import warranty_decision

PACKAGE = Path(__file__).resolve().parent.parent / "aftersales_core"
KEYWORDS = {"_": None, "N_": None, "plural": (2,)}
BRACE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(![rsa])?(:[^}]*)?\}")


def source_ids() -> set[str]:
    """The message ids in the core's source now (as tools/core-i18n.sh extracts them)."""
    ids: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), keywords=KEYWORDS, comment_tags=()
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def catalog(lang: str) -> dict[str, tuple[str, bool]]:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        cat = read_po(f)
    return {str(m.id): (str(m.string), m.fuzzy) for m in cat if m.id}


def test_source_has_messages() -> None:
    ids = source_ids()
    assert len(ids) > 400
    assert "Free repair" in ids  # a label
    assert "{basis}: free repair; what can be repaired is not replaced (R10)." in ids


@pytest.mark.parametrize("lang", LOCALES)
def test_catalog_complete(lang: str) -> None:
    """Every message id of the source has a non-empty, non-fuzzy translation."""
    entries = catalog(lang)
    missing = sorted(
        i for i in source_ids() if i not in entries or not entries[i][0] or entries[i][1]
    )
    assert not missing, f"{lang}: {len(missing)} untranslated (run tools/core-i18n.sh): {missing}"


@pytest.mark.parametrize("lang", LOCALES)
def test_placeholders_kept(lang: str) -> None:
    """A translation uses the same {placeholders} as its message id."""
    wrong = [
        (msgid, text)
        for msgid, (text, _fuzzy) in catalog(lang).items()
        if text and {m[0] for m in BRACE.findall(msgid)} != {m[0] for m in BRACE.findall(text)}
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("lang", LOCALES)
def test_compiled_catalog_matches_po(lang: str) -> None:
    """The committed .mo (what gettext reads) holds exactly the .po's translations."""
    mo = resources.files("aftersales_core") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    assert mo.is_file(), f"{mo} missing: run tools/core-i18n.sh"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [
        msgid
        for msgid, (text, fuzzy) in catalog(lang).items()
        if text and not fuzzy and compiled.gettext(msgid) != text
    ]
    assert not stale, f"{lang}.mo is stale (run tools/core-i18n.sh): {stale[:5]}"


def test_reason_in_chinese_under_use_locale() -> None:
    delivered = datetime(2025, 1, 1, tzinfo=timezone.utc)
    found = datetime(2025, 6, 1, tzinfo=timezone.utc)
    english = warranty_decision(delivered, found, None, "company")
    with use_locale("zh_TW"):
        traditional = warranty_decision(delivered, found, None, "company")
    with use_locale("zh_CN"):
        simplified = warranty_decision(delivered, found, None, "company")
    assert english.reasons[0].startswith("Within warranty (the warranty of 12 months")
    assert traditional.reasons[0].startswith("在保修期內（12 個月保修期於 2026-01-01 到期）")
    assert "免費維修" in traditional.reasons[0]
    assert "免费维修" in simplified.reasons[0]
    # same decision, same rule id, in the sentence too
    for d in (traditional, simplified):
        assert (d.rule, d.outcome, d.facts) == (english.rule, english.outcome, english.facts)
        assert "(R10)" in d.reasons[0] or "（R10）" in d.reasons[0]
        assert isinstance(d.reasons[0], str)
    assert current_locale() is None


def test_labels_and_errors_translated() -> None:
    with use_locale("zh_TW"):
        assert label("general_manager") == "總經理"
        assert label("accept", "acceptance") == "已接受"
        assert label("no_such_value") == "No such value"  # not a label: as itself
        with pytest.raises(RoleNotAllowed, match="操作 'settle' 需要角色 finance；操作者持有 無角色"):
            raise RoleNotAllowed("settle", frozenset({"finance"}), frozenset())
        with pytest.raises(InvalidInput, match="form: 未知單據 'nope'"):
            json_schema("nope")
    assert label("general_manager") == "General manager"


def test_route_reason_plural_in_chinese() -> None:
    lines = [{"product_class": "host", "quantity": 6}]
    with use_locale("zh_CN"):
        decision = route_return(lines)
    assert decision.reasons[0].startswith("6 套主机")
    assert "（R1）" in decision.reasons[0]


def test_locale_is_per_context() -> None:
    seen: list[str | None] = []

    def other() -> None:
        seen.append(current_locale())
        seen.append(_("Free repair"))

    with use_locale("zh_TW"):
        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        assert _("Free repair") == "免費維修"
        with use_locale(None):
            assert _("Free repair") == "Free repair"
        assert current_locale() == "zh_TW"
    assert seen == [None, "Free repair"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh_TW.UTF-8", "zh_TW"),
        ("zh-tw", "zh_TW"),
        ("zh_Hant_HK", "zh_TW"),
        ("zh_HK", "zh_TW"),
        ("zh", "zh_CN"),
        ("zh_CN", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("en_US.UTF-8", None),
        ("C.UTF-8", None),
        ("", None),
        (None, None),
        ("fr_fr", "fr_FR"),
    ],
)
def test_normalize_locale(given: str | None, expected: str | None) -> None:
    assert normalize_locale(given) == expected


def test_unknown_language_reads_english() -> None:
    with use_locale("fr_FR"):
        assert label("general_manager") == "General manager"


def test_cli_locale_order() -> None:
    assert cli_locale("zh_CN", {"LANG": "zh_TW.UTF-8"}) == "zh_CN"
    assert cli_locale(None, {"LANG": "zh_TW.UTF-8"}) == "zh_TW"
    assert cli_locale(None, {"LANG": "zh_TW.UTF-8", "LC_ALL": "en_US.UTF-8"}) is None
    assert cli_locale(None, {"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}) == "zh_CN"
    assert cli_locale(None, {}) is None


def test_cli_lang_option(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert main(["--lang", "zh_TW", "route", "--hosts", "6"]) == 0
    assert "6 套主機達到生產處理門檻 5，因此交生產進行第二次加工（R1）" in capsys.readouterr().out
    assert main(["route", "--hosts", "2", "--lang", "zh_CN"]) == 0
    assert "由售后维修翻新（R1）" in capsys.readouterr().out
    assert main(["route", "--hosts", "2"]) == 0
    assert "after-sales repairs and refurbishes them (R1)" in capsys.readouterr().out
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    assert main(["route", "--hosts", "2"]) == 0
    assert "由售後維修翻新（R1）" in capsys.readouterr().out
    # an error message too
