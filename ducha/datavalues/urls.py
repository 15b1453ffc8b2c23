from django.urls import path

from ducha.datavalues import views

app_name = "datavalues"
urlpatterns = [
    path("import/", views.import_values_view, name="import"),
    path("template.xlsx", views.template_download, name="template"),
    path("export/", views.export_values, name="export"),
]
