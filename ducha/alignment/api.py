"""A plan's coverage by the targets of other plans, as `ducha coverage --format json` gives it."""

from __future__ import annotations

from typing import Any

from ninja import Router

from ducha.alignment.selectors import coverage_data
from ducha.core.apiauth import READ_AUTH
from ducha.plans.api import visible_plan

router = Router(tags=["plans"], auth=READ_AUTH)


@router.get(
    "/{code}/coverage",
    response=dict[str, Any],
    summary="Coverage of a plan's targets by the targets of other plans",
)
def plan_coverage(request, code: str):
    return coverage_data(visible_plan(request, code), user=request.user)
