"""Community URLs under /community/ (the notifications page lives under /me/, in urls_me.py)."""

from django.urls import path

from .views import communities, moderation, people, posts, threads

app_name = "community"

urlpatterns = [
    path("", communities.community_list, name="list"),
    path("people/<str:username>/", people.person, name="person"),
    path("unsubscribe/<str:token>/", people.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", communities.community_detail, name="detail"),
    path("<slug:slug>/new/", threads.new_thread, name="new_thread"),
    path("<slug:slug>/membership/", communities.membership, name="membership"),
    path("<slug:slug>/invitation/<str:token>/", communities.invitation, name="invitation"),
    path("<slug:slug>/discuss/", communities.discuss, name="discuss"),
    path("<slug:slug>/moderation/", moderation.queue, name="moderation"),
    path("<slug:slug>/thread-action/<int:pk>/", threads.thread_action, name="thread_action"),
    path("<slug:slug>/t/<int:pk>/", threads.thread_redirect, name="thread_short"),
    path("<slug:slug>/t/<int:pk>/<str:thread_slug>/", threads.thread_detail, name="thread"),
    path("<slug:slug>/p/<int:pk>/", posts.post_permalink, name="post"),
    path("<slug:slug>/p/<int:pk>/action/", posts.post_action, name="post_action"),
    path("<slug:slug>/p/<int:pk>/edit/", posts.edit_post, name="edit_post"),
    path("<slug:slug>/p/<int:pk>/report/", posts.report_post, name="report_post"),
    path("<slug:slug>/p/<int:pk>/history/", posts.post_history, name="post_history"),
]
