"""The technician's tablet pages, under /tablet/ (the tablet home itself is reports.homes')."""

from django.urls import path

from . import tablet_views as views

app_name = "tablet"

urlpatterns = [
    path("work/", views.my_work, name="my_work"),
    path("orders/<int:pk>/", views.order_page, name="order"),
    path("orders/<int:pk>/sign/", views.sign, name="sign"),
    path("orders/<int:pk>/signed/", views.signed, name="signed"),
    path("orders/<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
    path("orders/<int:pk>/signature.png", views.signature_image, name="signature_image"),
    # Last: every step of the order page posts here (accept, confirm, report, part_add …).
    path("orders/<int:pk>/<slug:action>/", views.order_step, name="step"),
]
