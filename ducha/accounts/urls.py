from django.urls import path

from ducha.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.ChangePassword.as_view(), name="password"),
    path("welcome/<uidb64>/<token>/", views.ChoosePassword.as_view(), name="set_password"),
]
