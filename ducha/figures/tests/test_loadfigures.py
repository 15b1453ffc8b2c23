"""Published figures: loaded all or nothing, shown with their sources, never taken as values."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from ducha.audit.models import AuditEntry
from ducha.datavalues.models import ApprovedValue, DataValue
from ducha.figures.models import FigureLink, PublishedFigure, Relation
from ducha.figures.services import DEFAULT_FILE

pytestmark = pytest.mark.django_db

HEADER = "metric,value,unit,refers_to,comparator,stated_by,published,source_url,note\n"
GOOD = "智能科技产业收入,2000,亿元,2020H1,>,今晚报,2020-10-21,http://news.example.cn/a.html,原文“超2000亿元”\n"


def load(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):  # messages asserted in English, the source language
        call_command("loadfigures", *args, stdout=out)
    return out.getvalue()


def test_the_shipped_figures_load_with_their_wording_and_again_change_nothing(tianjin_plan):
    load()
    assert PublishedFigure.objects.count() == 17
    assert FigureLink.objects.count() == 10
    shown = {f.metric: f.display for f in PublishedFigure.objects.all()}
    assert shown["智能科技产业收入"] == "超2000亿元"
    assert shown["促进智能科技产业发展的扶持政策"] == "170余项"
    assert shown["人工智能（智能科技）产业占规上工业和限上信息服务业的比重"] == "大概23.6%"
    assert shown["电子信息制造业全年累计完成产值"] == "1847亿元"
    income = PublishedFigure.objects.get(metric="智能科技产业收入")
    assert income.stated_by == "今晚报（北方网转载）"
    assert income.source_url.startswith("http://news.big5.enorth.com.cn/")
    assert "口径与计划" in income.note
    link = income.links.get()
    assert (link.indicator.code, link.relation) == ("TJ-GOAL-SCALE", Relation.DIFFERENT)
    entries = AuditEntry.objects.count()
    assert "0 new, 0 changed, 17 unchanged" in load()
    assert AuditEntry.objects.count() == entries


def test_figures_are_never_an_indicators_value(tianjin_plan):
    load()
    assert not DataValue.objects.exists() and not ApprovedValue.objects.exists()


def test_a_file_with_any_bad_row_loads_nothing_and_names_each_problem(tmp_path, tianjin_plan):
    bad = tmp_path / "figures.csv"
    bad.write_text(
        HEADER
        + GOOD
        + "扶持政策,很多,项,2020,>,局长,2020-10-21,http://a.cn/x,\n"
        + "签约项目,12,个,2020,大约,局长,2020/10/21,ftp://a.cn/x,\n"
        + GOOD,
        encoding="utf-8",
    )
    with translation.override("en"), pytest.raises(CommandError) as caught:
        load(str(bad))
    text = str(caught.value)
    assert "row 3, column value" in text
    assert "row 4, column comparator" in text
    assert "row 4, column published" in text
    assert "row 4, column source_url" in text
    assert "row 5, column metric" in text and "also on row 2" in text
    assert not PublishedFigure.objects.exists()


def test_a_corrected_figure_is_updated_in_place(tmp_path, tianjin_plan):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    load(str(path))
    path.write_text(HEADER + GOOD.replace(",2000,", ",2100,"), encoding="utf-8")
    assert "0 new, 1 changed" in load(str(path))
    figure = PublishedFigure.objects.get()
    assert figure.display == "超2100亿元"
    assert AuditEntry.objects.filter(action="figures.figure.updated").count() == 1


def test_a_relation_to_an_unknown_indicator_is_refused_with_the_relations_file(
    tmp_path, tianjin_plan
):
    path = tmp_path / "f.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    relations = tmp_path / "links.csv"
    relations.write_text(
        "metric,refers_to,indicator,relation,note\n智能科技产业收入,2020H1,TJ-NOPE,maybe,\n",
        encoding="utf-8",
    )
    with translation.override("en"), pytest.raises(CommandError) as caught:
        load(str(path), "--relations", str(relations))
    assert "links.csv: row 2, column indicator" in str(caught.value)
    assert "column relation" in str(caught.value)
    assert not PublishedFigure.objects.exists()


def test_the_cockpit_and_the_indicator_pages_show_figures_with_their_sources(
    client, tianjin_plan, leader
):
    load()
    client.force_login(leader)
    cockpit = client.get(reverse("dashboards:cockpit", args=[tianjin_plan.code])).content.decode()
    assert "超2000亿元" in cockpit and "今晚报（北方网转载）" in cockpit
    assert "http://news.big5.enorth.com.cn/system/2020/10/21/050574319.shtml" in cockpit
    for url in (
        reverse("dashboards:indicator", args=[tianjin_plan.code, "TJ-GOAL-SCALE"]),
        reverse("plans:indicator", args=[tianjin_plan.code, "TJ-GOAL-SCALE"]),
    ):
        page = client.get(url).content.decode()
        assert "超2000亿元" in page and "相关，口径不同" in page, url
    robot = client.get(
        reverse("dashboards:indicator", args=[tianjin_plan.code, "TJ-IND-ROBOT"])
    ).content.decode()
    assert "超2000亿元" not in robot


def test_the_shipped_file_is_the_seed_copy():
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    assert text.startswith("metric,value,unit,refers_to,comparator,stated_by,published,")
    assert len(text.strip().splitlines()) == 18
