"""Reading values for pages: the source each shown figure was approved with."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ducha.datavalues.models import ApprovedValue


def approved_sources(user, indicator, cells, as_of: dt.date) -> dict[int, ApprovedValue]:
    """{org unit id: the approval (with its source) that counts as of `as_of`} for each
    (org unit id, period) in `cells`, among the approvals `user` may see. One query."""
    wanted = {(unit, period) for unit, period in cells if period}
    if not wanted:
        return {}
    end = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
    rows = (
        ApprovedValue.objects.for_user(user, "view")
        .filter(
            indicator=indicator,
            org_unit__in={u for u, _p in wanted},
            period__in={p for _u, p in wanted},
            approved_at__lte=end,
        )
        .order_by("approved_at", "id")
    )
    out = {}
    for row in rows:
        if (row.org_unit_id, row.period) in wanted:
            out[row.org_unit_id] = row  # the latest approval wins
    return out
