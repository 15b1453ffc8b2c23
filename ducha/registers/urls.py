from django.urls import path

from ducha.registers import views

app_name = "registers"
urlpatterns = [
    path("", views.index, name="index"),
    path("checks/", views.checks_view, name="checks"),
    path("recompute/", views.recompute_view, name="recompute"),
    path("archive/<slug:key>/<int:pk>/", views.archive_view, name="archive"),
    path("computed/<slug:plan>/<str:indicator>/", views.computed_view, name="computed"),
    path(
        "computed/<slug:plan>/<str:indicator>/<str:period>/<str:unit>/",
        views.drilldown_view,
        name="drilldown",
    ),
]


def register_patterns(key: str) -> list:
    """The pages every register has, for the register's own urls.py."""
    return [
        path("", views.record_list, {"key": key}, name="list"),
        path("<int:pk>/", views.record_detail, {"key": key}, name="detail"),
        path("import/", views.import_view, {"key": key}, name="import"),
        path("export.<str:fmt>", views.export_view, {"key": key}, name="export"),
        path("template.xlsx", views.template_view, {"key": key}, name="template"),
    ]
