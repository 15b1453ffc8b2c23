from django.urls import path

from ducha.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("bulletins/<int:pk>/", views.public_bulletin, name="bulletin"),
    path("bulletins/<int:pk>/<slug:fmt>/", views.public_download, name="bulletin_download"),
    path("plans/<slug:code>/", views.public_plan, name="plan"),
    path("manage/", views.manage, name="manage"),
    path("manage/bulletins/<int:pk>/", views.bulletin_state, name="bulletin_state"),
    path("manage/bulletins/draft/", views.bulletin_draft, name="bulletin_draft"),
    path("manage/bulletins/<int:pk>/edit/", views.bulletin_edit, name="bulletin_edit"),
    path("manage/bulletins/<int:pk>/<slug:fmt>/", views.manage_download, name="manage_download"),
    path("manage/plans/<int:pk>/", views.plan_publish, name="plan_publish"),
]
