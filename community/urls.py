"""Community URLs under /community/ (the notifications page lives under /me/, in urls_me.py)."""

from django.urls import path

from . import moderation_views, views

app_name = "community"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("people/<str:username>/", views.person, name="person"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/new/", views.new_thread, name="new_thread"),
    path("<slug:slug>/membership/", views.membership, name="membership"),
    path("<slug:slug>/invitation/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/discuss/", views.discuss, name="discuss"),
    path("<slug:slug>/moderation/", moderation_views.queue, name="moderation"),
    path("<slug:slug>/thread-action/<int:pk>/", views.thread_action, name="thread_action"),
    path("<slug:slug>/t/<int:pk>/", views.thread_redirect, name="thread_short"),
    path("<slug:slug>/t/<int:pk>/<str:thread_slug>/", views.thread_detail, name="thread"),
    path("<slug:slug>/p/<int:pk>/", views.post_permalink, name="post"),
    path("<slug:slug>/p/<int:pk>/action/", views.post_action, name="post_action"),
    path("<slug:slug>/p/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("<slug:slug>/p/<int:pk>/report/", views.report_post, name="report_post"),
    path("<slug:slug>/p/<int:pk>/history/", views.post_history, name="post_history"),
]
