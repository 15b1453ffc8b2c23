from django.urls import path

from ducha.incentives import views
from ducha.registers import views as register_views

app_name = "incentives"
urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("schemes/<str:code>/", views.scheme_detail, name="scheme"),
    path("applications/", views.application_list, name="list"),
    path("applications/new/", views.application_new, name="new"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<int:pk>/pay/", views.application_pay, name="pay"),
    path("applications/<int:pk>/<slug:action>/", views.application_act, name="act"),
    # import, export of the filtered list and the Excel template: the register toolkit's pages
    path(
        "applications/import/",
        register_views.import_view,
        {"key": "incentives"},
        name="import",
    ),
    path(
        "applications/export.<str:fmt>",
        register_views.export_view,
        {"key": "incentives"},
        name="export",
    ),
    path(
        "applications/template.xlsx",
        register_views.template_view,
        {"key": "incentives"},
        name="template",
    ),
]
