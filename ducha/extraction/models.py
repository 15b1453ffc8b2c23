"""From policy text to a trackable plan: uploaded documents and the review of their drafts.

The plan itself (nodes, indicators) lives in ``ducha.plans``; this app keeps what only the
extraction workflow needs: where a draft came from (``DocumentUpload``) and whether a person
has confirmed each of its indicators (``IndicatorReview``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.policies import RestrictedQuerySet


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    CONFIRMED = "confirmed", _("Confirmed")


# Which review state may follow which; services enforce it.
REVIEW_TRANSITIONS: dict[str, set[str]] = {
    ReviewStatus.PENDING: {ReviewStatus.CONFIRMED},
    ReviewStatus.CONFIRMED: {ReviewStatus.PENDING},
}


class IndicatorReview(models.Model):
    """A person's word on one indicator of a draft plan. No row means pending.

    ``fingerprint`` is what was confirmed: when the indicator changes afterwards by any route
    (a reloaded plan file, the admin), the confirmation no longer holds and it is pending again.
    """

    indicator = models.OneToOneField(
        "plans.Indicator",
        verbose_name=_("indicator"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="review",
    )
    status = models.CharField(
        _("review status"),
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator review")
        verbose_name_plural = _("indicator reviews")

    def __str__(self):
        return f"{self.indicator_id} {self.status}"


class UploadState(models.TextChoices):
    WAITING = "waiting", _("Waiting for confirmation")
    LOADED = "loaded", _("Loaded as a draft plan")
    DISCARDED = "discarded", _("Discarded")


UPLOAD_TRANSITIONS: dict[str, set[str]] = {
    UploadState.WAITING: {UploadState.LOADED, UploadState.DISCARDED},
    UploadState.LOADED: set(),
    UploadState.DISCARDED: set(),
}


class DocumentUpload(models.Model):
    """A policy document uploaded in the web UI and the draft plan extracted from it.

    Only documents that were read and extracted are recorded; the document itself is not
    kept, only its extracted plan file (``plan_yaml``), so that an upload whose plan code is
    taken can wait for the office to choose another code or confirm replacing a draft.
    """

    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=300)
    plan_code = models.SlugField(_("plan code"), max_length=64)
    node_count = models.PositiveIntegerField(_("nodes"), default=0)
    target_count = models.PositiveIntegerField(_("targets"), default=0)
    plan_yaml = models.TextField(_("extracted plan file"))
    state = models.CharField(
        _("state"), max_length=12, choices=UploadState.choices, default=UploadState.WAITING
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
    )
    loaded_at = models.DateTimeField(_("loaded at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document upload")
        verbose_name_plural = _("document uploads")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.file_name
