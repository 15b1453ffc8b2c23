from django.urls import path

from ducha.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_file, name="import"),
    path("days/", views.day_save, name="day_save"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/notice/", views.notice_save, name="notice"),
    path("days/<int:pk>/remove/", views.day_remove, name="day_remove"),
]
