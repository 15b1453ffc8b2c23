from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _


def _has_demo_data() -> bool:
    from ducha.datavalues.models import DataValue

    return DataValue.objects.filter(is_demo=True).exists()


def _nav(user) -> dict:
    """What the main navigation offers this user, asked of the policies."""
    from ducha.core.policies import allows
    from ducha.datavalues.models import DataValue

    return {"can_import": allows(user, "add", DataValue)}


def site(request):
    user = getattr(request, "user", None)
    return {
        "brand_name": settings.DUCHA_SITE_NAME or _("ducha plan supervision"),
        # Evaluated only by templates that show the banner; one cheap query.
        "demo_mode": SimpleLazyObject(_has_demo_data),
        "nav": SimpleLazyObject(lambda: _nav(user)) if user is not None else {},
    }
