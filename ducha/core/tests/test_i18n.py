"""Chinese by default, English on request, and compiled catalogues that match their sources."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[2]
OUR_APPS = [app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("ducha.")]
OUR_APPS.append(".")  # ducha/locale: the words that win over Django's own catalogues


def test_plan_page_is_chinese_by_default(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    html = client.get(reverse("plans:detail", args=[demo.plan.code])).content.decode()
    assert 'lang="zh-hans"' in html
    assert "进度正常" in html and "牵头单位" in html and "跳到正文" in html
    assert "On track" not in html and "Lead unit" not in html


def test_plan_page_is_english_after_set_language(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:detail", args=[demo.plan.code])
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    html = client.get(url, {"as_of": "2020-06-30"}).content.decode()
    assert 'lang="en"' in html
    assert "On track" in html and "Lead unit" in html
    assert "进度正常" not in html


def test_language_cookie_switches_to_english(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("plans:detail", args=[demo.plan.code])).content.decode()
    assert "Not achieved" in html and "Ended" in html  # the plan period is over


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in html and 'lang="zh-hans"' in html


def test_login_page_is_chinese_and_english(client, db):
    assert "登录" in client.get(reverse("login")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("app", OUR_APPS)
def test_every_app_has_a_complete_chinese_catalogue(app):
    po_path = PACKAGE / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert po_path.exists(), f"{app} has no zh_Hans catalogue"
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert missing == [], f"{app}: untranslated {missing[:5]}"
    assert not [e.msgid for e in po if "fuzzy" in e.flags], f"{app} has fuzzy entries"


@pytest.mark.parametrize("app", OUR_APPS)
def test_compiled_catalogue_matches_its_source(app):
    for lang in ("zh_Hans", "en"):
        po_path = PACKAGE / app / "locale" / lang / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            continue
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} is missing: run make messages"
        po = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.pofile(str(po_path))
            if e.translated() and not e.obsolete and "fuzzy" not in e.flags
        }
        mo = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.mofile(str(mo_path))
            if e.msgid
        }
        assert po == mo, f"{mo_path} is out of date: run make messages"


def test_our_words_win_over_the_admins_catalogue(client, demo):
    """The admin's catalogue comes first among the apps and says 过滤器 for "Filter"."""
    client.login(username="office", password="ducha-demo-2018")
    html = client.get(reverse("incentives:list")).content.decode()
    assert "筛选" in html and "过滤器" not in html


def test_words_our_apps_share_keep_their_own_meaning():
    """ "Change" is an indicator kind (变化幅度), not the admin's button (修改); "submitted"
    in an application's history is its own event, whatever other apps call a status."""
    from django.utils import translation

    from ducha.incentives.templatetags.incentives import app_event
    from ducha.plans.models import IndicatorKind

    with translation.override("zh-hans"):
        assert str(IndicatorKind.CHANGE.label) == "变化幅度"
        assert app_event("incentives.application.submitted") == "提交"


def test_a_platforms_level_is_its_rank_not_an_indicator_kind(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    html = client.get(reverse("platforms:list")).content.decode()
    assert "级别" in html and "总量" not in html
