from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ducha.api import api
from ducha.core import views as core_views

admin.site.site_header = "ducha 督查"
admin.site.site_title = "ducha"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("ducha.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("plans/", include("ducha.plans.urls")),
    path("alignment/", include("ducha.alignment.urls")),
    path("assessment/", include("ducha.assessments.urls")),
    path("values/", include("ducha.datavalues.urls")),
    path("dashboards/", include("ducha.dashboards.urls")),
    path("extraction/", include("ducha.extraction.urls")),
    path("reporting/", include("ducha.reporting.urls")),
    path("supervision/", include("ducha.supervision.urls")),
    path("scorecards/", include("ducha.scorecards.urls")),
    path("audit/", include("ducha.audit.urls")),
    path("public/", include("ducha.portal.urls")),
    path("api/", api.urls),
    path("registers/", include("ducha.registers.urls")),
    path("registers/parks/", include("ducha.parks.urls")),
    path("registers/enterprises/", include("ducha.enterprises.urls")),
    path("registers/projects/", include("ducha.projects.urls")),
    path("registers/platforms/", include("ducha.platforms.urls")),
    path("registers/technologies/", include("ducha.technologies.urls")),
    path("registers/talents/", include("ducha.talents.urls")),
    path("registers/teams/", include("ducha.talents.urls_teams")),
    path("incentives/", include("ducha.incentives.urls")),
    path("jobs/", include("ducha.jobs.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("quality/", include("ducha.quality.urls")),
    path("notifications/", include("ducha.notifications.urls")),
    path("calendar/", include("ducha.workcalendar.urls")),
    path("admin/", admin.site.urls),
]
