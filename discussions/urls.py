from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("discussions/", views.discussion_index, name="index"),
    path("discussions/search/", views.discussion_search, name="search"),
    path("discussions/posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("discussions/posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("discussions/posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("discussions/posts/<int:pk>/unhide/", views.post_unhide, name="post_unhide"),
    path("discussions/posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("discussions/posts/<int:pk>/report/", views.post_report, name="post_report"),
    path("discussions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("categories/<slug:slug>/discussions/", views.category_threads, name="category"),
    path("categories/<slug:slug>/discussions/new/", views.thread_create, name="thread_new"),
    path(
        "categories/<slug:slug>/discussions/follow/",
        views.category_follow,
        name="category_follow",
    ),
    path("categories/<slug:slug>/discussions/<int:pk>/", views.thread_detail, name="thread"),
    path("categories/<slug:slug>/discussions/<int:pk>/reply/", views.thread_reply, name="reply"),
    path(
        "categories/<slug:slug>/discussions/<int:pk>/follow/",
        views.thread_follow,
        name="thread_follow",
    ),
    path(
        "categories/<slug:slug>/discussions/<int:pk>/moderate/",
        views.thread_moderate,
        name="thread_moderate",
    ),
    path(
        "categories/<slug:slug>/discussions/<int:pk>/move/", views.thread_move, name="thread_move"
    ),
    path(
        "categories/<slug:slug>/discussions/<int:pk>/knowledge/",
        views.thread_knowledge,
        name="thread_knowledge",
    ),
]
