"""The person's community notifications, at /me/notifications/."""

from django.urls import path

from .views import people

urlpatterns = [
    path("", people.notification_list, name="community_notifications"),
    path("<int:pk>/", people.notification_open, name="community_notification_open"),
]
