"""The zh-hans catalogue of the calendar is complete and compiled."""

from pathlib import Path

import polib
from django.utils import translation

import servicedesk.calendar
from servicedesk.calendar.models import DateOverride

LOCALE = Path(servicedesk.calendar.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) >= 40


def test_the_compiled_catalogue_is_current():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    translated = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po.translated_entries()}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    compiled.pop((None, ""), None)  # the header
    assert compiled == translated


def test_business_terms_in_chinese():
    with translation.override("zh-hans"):
        assert "补班" in str(DateOverride.Kind.MAKE_UP_DAY.label)
        assert str(DateOverride._meta.app_config.verbose_name) == "工作日历"
