from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rbm import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/tokens/", views.api_token_new, name="api-token-new"),
    path("account/preferences/", views.preferences, name="preferences"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
    path(
        "account/tokens/<int:pk>/revoke/",
        views.api_token_revoke_view,
        name="api-token-revoke",
    ),
    path("reference/", views.reference, name="reference"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("strategic_plans.urls")),
    path("dwcp/", include("dwcp.urls")),
    path("workplans/", include("workplans.urls")),
    path("projects/", include("cooperation.urls")),
    path("reports/", include("reporting.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("api/", include("rbm.api.urls")),
    path("public/", include("portal.urls")),
]
# No route serves MEDIA_ROOT: each stored file is answered by its record's view, which checks
# the reader's permission (rbm.files), with DEBUG on or off.

# An exception nothing handled: JSON under /api/, the error page elsewhere.
handler500 = "rbm.api.exception_handlers.server_error"
