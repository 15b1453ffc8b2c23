"""The assessment method explained for officials (no sign-in: the public portal links it)."""

from django.shortcuts import render
from django.utils.translation import get_language

from ducha.assessments.labels import STATUS_HELP, STATUS_LABELS, STATUS_ORDER
from ducha.engine.assessment import (
    ACCELERATION_MIN,
    DEFAULT_GRACE_YEARS,
    ON_TRACK_MIN,
    ROLLUP_BANDS,
    SCORES,
)


def method(request):
    """评估方法: how a status, R, the score and the final evaluation are decided. The prose is
    long, so it is one template per language (Chinese first) rather than a catalogue entry
    per sentence; the figures in it come from the engine, so the page cannot drift from it."""
    language = "en" if (get_language() or "").startswith("en") else "zh"
    statuses = [(s, STATUS_LABELS[s], STATUS_HELP[s], SCORES.get(s)) for s in STATUS_ORDER[::-1]]
    return render(
        request,
        f"assessments/method_{language}.html",
        {
            "statuses": statuses,
            "on_track_min": ON_TRACK_MIN,
            "acceleration_min": ACCELERATION_MIN,
            "bands": ROLLUP_BANDS,
            "grace_months": round(DEFAULT_GRACE_YEARS * 12),
            "top_score": max(SCORES.values()),
        },
    )
