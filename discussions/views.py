"""Discussions: a category's threads, a thread and its replies, moderation, follows, search.

Visitors are sent to sign in: discussions are for the network only. Each view starts with a
``_get_<thing>_for_user`` helper, the one place its permission is decided.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from categories.models import Category
from funds.models import FundCall

from . import services
from .forms import (
    EditPostForm,
    FollowForm,
    HideForm,
    KnowledgeForm,
    LanguageFilterForm,
    MoveForm,
    PostForm,
    ReportForm,
    SearchForm,
    ThreadForm,
)
from .models import Follow, Frequency, Post, PostReport, Thread, may_post, moderates
from .search import search
from .tokens import follow_for_token, token_payload

PAGE_SIZE = 20
SECTION = {"section": "discussions"}


def with_post_counts(threads):
    """``reply_count``: the thread's shown posts after the first, in the same query."""
    shown = (
        Post.objects.shown()
        .filter(thread=OuterRef("pk"), is_opening=False)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return threads.annotate(reply_count=Coalesce(Subquery(shown), 0))


def _get_category_for_user(request, slug):
    category = get_object_or_404(Category, slug=slug)
    return category, moderates(request.user, category)


def _get_thread_for_user(request, slug, pk):
    """The thread at ``pk`` if ``request.user`` may read it; ``(thread, moderator)``."""
    thread = get_object_or_404(
        Thread.objects.select_related("category", "language", "fund_call", "session", "author"),
        pk=pk,
    )
    moderator = moderates(request.user, thread.category)
    if not Thread.objects.visible_to(request.user, moderator=moderator).filter(pk=pk).exists():
        raise Http404
    return thread, moderator


def _get_post_for_user(request, pk, *, author=False, moderate=False):
    """The post at ``pk`` in a thread ``request.user`` may read; with ``author`` only its
    author, with ``moderate`` only the moderators of its category."""
    post = get_object_or_404(
        Post.objects.select_related("thread__category", "author", "language"), pk=pk
    )
    moderator = moderates(request.user, post.thread.category)
    threads = Thread.objects.visible_to(request.user, moderator=moderator)
    posts = Post.objects.visible_to(request.user, moderator=moderator)
    if not (threads.filter(pk=post.thread_id).exists() and posts.filter(pk=post.pk).exists()):
        raise Http404
    if author and (post.author_id != request.user.pk or post.is_deleted):
        raise PermissionDenied
    if moderate and not moderator:
        raise PermissionDenied
    return post, moderator


def _follow_of(user, **target):
    return Follow.objects.filter(user=user, **target).first()


@login_required
def discussion_index(request):
    """Every category with its number of threads, the search box and the member's follows."""
    threads = (
        Thread.objects.visible_to(request.user)
        .filter(category=OuterRef("pk"))
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    categories = Category.objects.annotate(thread_count=Coalesce(Subquery(threads), 0))
    follows = Follow.objects.filter(user=request.user).select_related(
        "thread__category", "category"
    )
    return render(
        request,
        "discussions/index.html",
        {
            **SECTION,
            "categories": categories,
            "follows": follows,
            "search_form": SearchForm(),
        },
    )


@login_required
def category_threads(request, slug):
    """A category's threads, pinned first then by latest post, with unread markers."""
    category, moderator = _get_category_for_user(request, slug)
    threads = Thread.objects.visible_to(request.user, moderator=moderator).filter(category=category)
    form = LanguageFilterForm(request.GET or None)
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["language"] is not None:
                threads = threads.filter(language=form.cleaned_data["language"])
        else:
            threads = threads.none()
    threads = with_post_counts(threads.with_unread(request.user))
    threads = threads.select_related("category", "author", "language")
    page = Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "discussions/category.html",
        {
            **SECTION,
            "category": category,
            "page": page,
            "threads": page.object_list,
            "form": form,
            "may_post": may_post(request.user),
            "moderator": moderator,
            "follow": _follow_of(request.user, category=category),
            "follow_form": FollowForm(),
            "search_form": SearchForm(),
        },
    )


@login_required
def thread_create(request, slug):
    category, _moderator = _get_category_for_user(request, slug)
    if not may_post(request.user):
        raise PermissionDenied
    form = ThreadForm(
        request.POST or None,
        user=request.user,
        initial={"language": _default_language(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(
                author=request.user, category=category, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your thread is open. You follow it."))
            return redirect(thread)
    return render(
        request, "discussions/thread_form.html", {**SECTION, "category": category, "form": form}
    )


def _default_language(user):
    return user.preferred_language if user.preferred_language in {"en", "fr", "es"} else "en"


@login_required
def thread_detail(request, slug, pk):
    thread, moderator = _get_thread_for_user(request, slug, pk)
    if thread.category.slug != slug:
        return redirect(thread, permanent=True)  # moved to another category
    posts = (
        Post.objects.visible_to(request.user, moderator=moderator)
        .filter(thread=thread)
        .select_related("author__member", "language", "hidden_by")
        .annotate(revision_count=Count("revisions"))
    )
    posts = list(posts)
    services.thread_mark_read(thread=thread, user=request.user)
    # A linked call the reader may not open (still a suggestion) is not named to them.
    fund_call = thread.fund_call
    if (
        fund_call is not None
        and not FundCall.objects.visible_to(request.user).filter(pk=fund_call.pk).exists()
    ):
        fund_call = None
    reply_form = PostForm(initial={"language": thread.language_id})
    return render(
        request,
        "discussions/thread.html",
        {
            **SECTION,
            "thread": thread,
            "category": thread.category,
            "fund_call": fund_call,
            "posts": posts,
            "moderator": moderator,
            "may_reply": may_post(request.user) and (moderator or not thread.is_locked),
            "reply_form": reply_form,
            "follow": _follow_of(request.user, thread=thread),
            "follow_form": FollowForm(),
        },
    )


@login_required
@require_POST
def thread_reply(request, slug, pk):
    thread, moderator = _get_thread_for_user(request, slug, pk)
    if not may_post(request.user) or (thread.is_locked and not moderator):
        raise PermissionDenied
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_reply(author=request.user, thread=thread, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect(post.get_absolute_url())
    return render(
        request,
        "discussions/reply_form.html",
        {**SECTION, "thread": thread, "category": thread.category, "form": form},
        status=400,
    )


@login_required
@require_POST
def thread_follow(request, slug, pk):
    thread, _moderator = _get_thread_for_user(request, slug, pk)
    return _follow(request, thread=thread, next_url=thread.get_absolute_url())


@login_required
@require_POST
def category_follow(request, slug):
    category, _moderator = _get_category_for_user(request, slug)
    return _follow(
        request,
        category=category,
        next_url=reverse("discussions:category", args=[category.slug]),
    )


def _follow(request, *, next_url, **target):
    if request.POST.get("action") == "unfollow":
        follow = _follow_of(request.user, **target)
        if follow is not None:
            services.follow_delete(follow=follow)
        messages.success(request, _("You no longer follow it."))
        return redirect(next_url)
    form = FollowForm(request.POST)
    frequency = form.cleaned_data["frequency"] if form.is_valid() else Frequency.IMMEDIATE
    services.follow_set(user=request.user, frequency=frequency, **target)
    if frequency == Frequency.WEEKLY:
        messages.success(request, _("You follow it: new posts come in your weekly email."))
    else:
        messages.success(request, _("You follow it: each new post comes by email."))
    return redirect(next_url)


def _moderated_thread(request, slug, pk):
    thread, moderator = _get_thread_for_user(request, slug, pk)
    if not moderator:
        raise PermissionDenied
    return thread


MODERATION_ACTIONS = {
    "pin": ({"is_pinned": True}, gettext_lazy("The thread is pinned.")),
    "unpin": ({"is_pinned": False}, gettext_lazy("The thread is no longer pinned.")),
    "lock": ({"is_locked": True}, gettext_lazy("The thread is locked: no more replies.")),
    "unlock": ({"is_locked": False}, gettext_lazy("The thread is open to replies again.")),
}


@login_required
@require_POST
def thread_moderate(request, slug, pk):
    thread = _moderated_thread(request, slug, pk)
    action = MODERATION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    flags, message = action
    services.thread_moderate(thread=thread, by=request.user, **flags)
    messages.success(request, message)
    return redirect(thread)


@login_required
def thread_move(request, slug, pk):
    thread = _moderated_thread(request, slug, pk)
    form = MoveForm(request.POST or None, thread=thread)
    if request.method == "POST" and form.is_valid():
        thread = services.thread_move(
            thread=thread, by=request.user, category=form.cleaned_data["category"]
        )
        messages.success(
            request,
            _("The thread is now in %(category)s.") % {"category": thread.category.display_name},
        )
        return redirect(thread)
    return render(
        request,
        "discussions/move_form.html",
        {**SECTION, "thread": thread, "category": thread.category, "form": form},
    )


@login_required
def thread_knowledge(request, slug, pk):
    """A moderator writes the thread's outcome down as a knowledge entry that links back."""
    thread = _moderated_thread(request, slug, pk)
    form = KnowledgeForm(request.POST or None, initial={"title": thread.title})
    if request.method == "POST" and form.is_valid():
        entry = services.thread_to_knowledge(thread=thread, by=request.user, **form.cleaned_data)
        messages.success(request, _("The outcome is in the knowledge base."))
        return redirect(entry)
    return render(
        request,
        "discussions/knowledge_form.html",
        {**SECTION, "thread": thread, "category": thread.category, "form": form},
    )


@login_required
def post_edit(request, pk):
    post, _moderator = _get_post_for_user(request, pk, author=True)
    form = EditPostForm(request.POST or None, instance=Post.objects.get(pk=post.pk))
    if request.method == "POST" and form.is_valid():
        services.post_edit(post=post, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your post is changed."))
        return redirect(post.get_absolute_url())
    return render(
        request,
        "discussions/post_form.html",
        {**SECTION, "post": post, "thread": post.thread, "form": form},
    )


@login_required
@require_POST
def post_delete(request, pk):
    post, _moderator = _get_post_for_user(request, pk, author=True)
    services.post_delete(post=post, by=request.user)
    messages.success(request, _("Your post is deleted."))
    return redirect(post.thread)


@login_required
def post_hide(request, pk):
    post, _moderator = _get_post_for_user(request, pk, moderate=True)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_hide(post=post, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The post is hidden; its author is told why."))
        return redirect(post.get_absolute_url())
    return render(
        request,
        "discussions/hide_form.html",
        {**SECTION, "post": post, "thread": post.thread, "form": form},
    )


@login_required
@require_POST
def post_unhide(request, pk):
    post, _moderator = _get_post_for_user(request, pk, moderate=True)
    services.post_unhide(post=post, by=request.user)
    messages.success(request, _("The post is shown again."))
    return redirect(post.get_absolute_url())


@login_required
def post_history(request, pk):
    """Earlier versions of a post, for the moderators."""
    post, _moderator = _get_post_for_user(request, pk, moderate=True)
    return render(
        request,
        "discussions/post_history.html",
        {**SECTION, "post": post, "thread": post.thread, "revisions": post.revisions.all()},
    )


@login_required
def post_report(request, pk):
    post, _moderator = _get_post_for_user(request, pk)
    if post.author_id == request.user.pk:
        raise PermissionDenied
    already = PostReport.objects.filter(post=post, reporter=request.user).exists()
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.post_report(post=post, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you: the moderators will look at it."))
        return redirect(post.get_absolute_url())
    return render(
        request,
        "discussions/report_form.html",
        {**SECTION, "post": post, "thread": post.thread, "form": form, "already": already},
    )


@login_required
def discussion_search(request):
    """One box for the discussions and the knowledge base."""
    form = SearchForm(request.GET or None)
    threads = entries = None
    if form.is_valid():
        threads, entries = search(
            user=request.user,
            text=form.cleaned_data["q"],
            language=form.cleaned_data["language"],
        )
    return render(
        request,
        "discussions/search.html",
        {**SECTION, "search_form": form, "threads": threads, "entries": entries},
    )


# The token is the proof: mail clients' one-click POST (RFC 8058) carries no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows one button and changes nothing (mail scanners follow links); POST unfollows."""
    if token_payload(token) is None:
        return render(request, "discussions/unsubscribe_invalid.html", status=400)
    follow = follow_for_token(token)
    if follow is None:  # already stopped: the link was followed twice
        return render(request, "discussions/unsubscribe_done.html", {"follow": None})
    if request.method == "POST":
        target = str(follow.target)
        services.follow_delete(follow=follow)
        return render(request, "discussions/unsubscribe_done.html", {"target": target})
    return render(request, "discussions/unsubscribe.html", {"follow": follow, "token": token})
