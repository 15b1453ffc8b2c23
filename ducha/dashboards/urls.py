from django.urls import path

from ducha.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("geo/<slug:name>.geojson", views.geojson, name="geo"),
    path("<slug:plan>/", views.cockpit, name="cockpit"),
    path("<slug:plan>/indicators/<str:indicator>/", views.indicator, name="indicator"),
    path("<slug:plan>/map/", views.district_map, name="map"),
    path("<slug:plan>/units/", views.unit_list, name="units"),
    path("<slug:plan>/units/<str:unit>/", views.unit, name="unit"),
    path("<slug:plan>/tree/", views.tree, name="tree"),
]
