"""Who may upload documents and review drafts: the leading-group office, which owns plans.

Draft plans are invisible to everyone else (plans.policies), and so is their review."""

from ducha.core.policies import EVERYTHING, NOTHING, Policy, register
from ducha.extraction.models import DocumentUpload, IndicatorReview


def _office_only(user):
    if not user.is_authenticated:
        return NOTHING
    return EVERYTHING if user.is_office else NOTHING


@register
class IndicatorReviewPolicy(Policy):
    model = IndicatorReview

    def scope(self, user, action):
        return _office_only(user)


@register
class DocumentUploadPolicy(Policy):
    model = DocumentUpload

    def scope(self, user, action):
        return _office_only(user)
