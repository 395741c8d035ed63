from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/directorates/new/", views.directorate_edit, name="directorate-add"),
    path("organisation/directorates/<int:pk>/", views.directorate_edit, name="directorate"),
    path("organisation/directorates/<int:pk>/delete/", views.directorate_delete, name="directorate-delete"),
    path("organisation/services/new/", views.service_edit, name="service-add"),
    path("organisation/services/<int:pk>/", views.service_edit, name="service"),
    path("organisation/services/<int:pk>/delete/", views.service_delete, name="service-delete"),
    path("organisation/portfolios/new/", views.portfolio_edit, name="portfolio-add"),
    path("organisation/portfolios/<int:pk>/", views.portfolio_edit, name="portfolio"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.person_invite, name="person-invite"),
    path("people/<int:pk>/", views.person_edit, name="person"),
    path("people/<int:pk>/invitation/", views.person_invitation_resend, name="person-invitation"),
]
