from django.utils.functional import SimpleLazyObject


def calendar_warning(request):
    """From 1 October the office's pages say when next year's holiday calendar is missing."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_office", False):
        return {}
    from ducha.workcalendar.selectors import missing_next_year

    return {"calendar_missing_year": SimpleLazyObject(lambda: missing_next_year() or "")}
