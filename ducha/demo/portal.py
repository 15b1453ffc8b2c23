"""Demo bulletins (通报) written from the closed rounds, and the plan published."""

from __future__ import annotations

from collections import Counter

from ducha.portal import services
from ducha.portal.models import Bulletin, PlanPublication
from ducha.reporting.models import AssignmentStatus, Round, RoundState


def remove_portal_demo() -> None:
    Bulletin.objects.filter(is_demo=True).delete()


def load_portal_demo(plan, office) -> None:
    remove_portal_demo()
    rounds = Round.objects.filter(plan=plan, state=RoundState.CLOSED, is_demo=True)
    for i, rnd in enumerate(rounds.order_by("period_end")):
        b = services.save_bulletin(
            None,
            None,
            title=f"关于{rnd.title}智能科技产业发展任务进展情况的通报",
            body=_bulletin_text(rnd),
            plan=plan,
            is_demo=True,
        )
        if i < 2:
            services.set_bulletin_state(None, b, published=True)
    services.save_bulletin(
        None,
        None,
        title="2020年第四季度进展情况通报（草稿）",
        body="本季度填报仍在进行中，待各单位报送完毕后印发。",
        plan=plan,
        is_demo=True,
    )
    if not PlanPublication.objects.filter(plan=plan, published=True).exists():
        services.publish_plan(None, plan, True)


def _bulletin_text(rnd: Round) -> str:
    a = list(rnd.assignments.select_related("round", "org_unit"))
    on_time = sum(1 for x in a if x.status == AssignmentStatus.APPROVED and not x.is_late)
    late = Counter(x.org_unit.label for x in a if x.is_late)
    missing = Counter(x.org_unit.label for x in a if x.status != AssignmentStatus.APPROVED)
    lines = [
        f"{rnd.title}填报工作已于{rnd.deadline:%Y年%m月%d日}截止。"
        f"共下达填报任务{len(a)}项，按时完成{on_time}项。",
        "",
        "逾期报送的单位："
        + ("、".join(f"{u}（{n}项）" for u, n in late.most_common()) or "无")
        + "。",
        "未报送的单位："
        + ("、".join(f"{u}（{n}项）" for u, n in missing.most_common()) or "无")
        + "。",
        "",
        "请相关单位高度重视，按要求及时、准确报送进展情况。",
    ]
    return "\n".join(lines)
