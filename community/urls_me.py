"""The person's community notifications, at /me/notifications/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="community_notifications"),
    path("<int:pk>/", views.notification_open, name="community_notification_open"),
]
