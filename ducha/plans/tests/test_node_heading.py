"""A plan node reads as its label and title; a dash item without a title by its text."""

from ducha.engine.extract.plan_yaml import plan_code_for
from ducha.plans.models import PlanNode


def test_a_dash_item_reads_by_its_text_not_its_key():
    text = "建设智能制造示范工厂，推动\n企业上云。"
    node = PlanNode(key="1.3.1", label="——", title="", text=text)
    assert node.heading == "建设智能制造示范工厂，推动 企业上云。"
    assert "——" not in str(node) and "1.3.1" not in str(node)
    long = PlanNode(key="1.3.2", label="——", text="甲" * 40)
    assert long.heading == "甲" * 24 + "…"
    assert PlanNode(key="2", label="二、", title="重点任务").heading == "二、重点任务"


def test_a_generated_plan_code_is_the_titles_pinyin_initials_and_period():
    class Doc:
        title = "天津市加快推进智能科技产业发展总体行动计划（2018—2020年）"
        source_text = ""

    code = plan_code_for(Doc, 2018, 2020)
    assert code == "tjsjktjznkjcyfzz-2018-2020"
    Doc.title = "Plan"
    assert plan_code_for(Doc, 2018, 2020) == "plan-2018-2020"
