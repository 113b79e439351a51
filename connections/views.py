from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Member

from . import services
from .forms import IntroductionForm, MessageForm, PreferenceForm, ReportForm
from .models import Introduction, Message, MessagePreference, Participant
from .unread import badge_refresh, with_unread

CONVERSATIONS_PER_PAGE = 25
MESSAGES_PER_PAGE = 50
SENT_SHOWN = 20


def _get_suggested_member_for_user(request):
    """The member named by the form's ``member`` if ``request.user`` may see it, else 404."""
    pk = request.POST.get("member", "")
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(Member.objects.visible_to(request.user), pk=int(pk))


@login_required
@require_POST
def suggestion_dismiss(request):
    """Stop suggesting a member to the signed-in user, then go back where they were."""
    member = _get_suggested_member_for_user(request)
    services.suggestion_dismiss(user=request.user, member=member)
    messages.success(
        request, _("%(name)s will not be suggested to you again.") % {"name": member.name}
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("home")


# ---- Introductions ------------------------------------------------------------------------


@login_required
def introduce(request, pk):
    """The "Introduce yourself" form to the owner of profile ``pk``.

    404 for a profile the user may not see; 403 with the reason when they may not write to it
    (no profile of their own, their own profile, an unclaimed or closed one).
    """
    recipient = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    sender = services.own_member(request.user)
    refusal = services.introduction_refusal(sender=sender, recipient=recipient)
    if refusal:
        context = {"recipient": recipient, "refusal": refusal, "has_profile": sender is not None}
        return render(request, "connections/cannot_introduce.html", context, status=403)
    form = IntroductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            introduction = services.introduction_send(
                user=request.user, recipient=recipient, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your introduction was sent to %(name)s.") % {"name": recipient.name},
            )
            return redirect(introduction)
    return render(request, "connections/introduce.html", {"form": form, "recipient": recipient})


def _get_introduction_for_user(request, pk):
    """Introduction ``pk`` for its sender or its recipient; 404 for anyone else (staff too).
    A recipient never sees one dropped because they blocked its sender."""
    queryset = Introduction.objects.select_related(
        "sender", "recipient", "sender_user", "conversation"
    ).filter(
        Q(sender__owner=request.user)
        | (Q(recipient__owner=request.user) & ~Q(status=Introduction.Status.SUPPRESSED))
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def introduction_detail(request, pk):
    """An introduction as its recipient answers it (Accept, Decline, Block, Report) or as its
    sender follows it ("awaiting an answer" even when silently dropped)."""
    introduction = _get_introduction_for_user(request, pk)
    is_recipient = introduction.recipient is not None and (
        introduction.recipient.owner_id == request.user.pk
    )
    conversation = getattr(introduction, "conversation", None)
    context = {
        "introduction": introduction,
        "is_recipient": is_recipient,
        "status": introduction.status_for(None if is_recipient else introduction.sender),
        "can_answer": is_recipient and introduction.status == Introduction.Status.PENDING,
        "conversation": conversation,
        "chosen": request.GET.get("answer", ""),
        "report_form": ReportForm(),
    }
    return render(request, "connections/introduction.html", context)


@login_required
@require_POST
def introduction_answer(request, pk):
    """The recipient's answer: ``answer`` is accept, decline, block (decline silently and hear
    no more from the sender) or report (to ILO staff, and decline)."""
    introduction = _get_introduction_for_user(request, pk)
    if introduction.recipient is None or introduction.recipient.owner_id != request.user.pk:
        raise Http404
    answer = request.POST.get("answer")
    if answer == "accept":
        try:
            conversation = services.introduction_answer(
                introduction=introduction, user=request.user, accept=True
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(introduction)
        if conversation is None:
            return redirect(introduction)
        messages.success(request, _("You are now connected. Write your first message here."))
        return redirect(conversation)
    if answer == "decline":
        services.introduction_answer(introduction=introduction, user=request.user, accept=False)
        messages.success(request, _("You declined this introduction."))
        return redirect("connections:index")
    if answer in ("block", "report"):
        if answer == "report":
            form = ReportForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.introduction_report(
                introduction=introduction, user=request.user, reason=reason
            )
            messages.success(request, _("Thank you: ILO staff will look at this message."))
        services.introduction_answer(introduction=introduction, user=request.user, accept=False)
        if answer == "block":
            services.block(user=request.user, other=introduction.sender_user)
            messages.success(
                request,
                _("You will not hear from %(name)s again; they are not told.")
                % {"name": introduction.sender.name if introduction.sender else ""},
            )
        return redirect("connections:index")
    messages.error(request, _("Choose an answer."))
    return redirect(introduction)


# ---- My connections and conversations ---------------------------------------------------


def _my_conversations(user):
    """``user``'s conversations (as their ``Participant`` rows), with unread counts and the
    other side's name and organization; a fixed number of queries."""
    others = Participant.objects.filter(conversation=OuterRef("conversation")).exclude(
        pk=OuterRef("pk")
    )
    return (
        with_unread(Participant.objects.filter(user=user, left_at__isnull=True))
        .annotate(
            other_name=Subquery(others.values("name")[:1]),
            other_organization=Subquery(others.values("organization")[:1]),
        )
        .select_related(
            "conversation__introduction__sender", "conversation__introduction__recipient"
        )
        .order_by("-conversation__last_message_at", "-pk")
    )


@login_required
def index(request):
    """``/connections/``: introductions waiting for my answer, those I sent, my connections
    with their conversations and unread counts, and how I hear of new messages."""
    member = services.own_member(request.user)
    waiting, sent = [], []
    if member is not None:
        waiting = list(
            Introduction.objects.filter(recipient=member, status=Introduction.Status.PENDING)
            .select_related("sender", "sender_user")
            .order_by("created_at")
        )
        sent = list(
            Introduction.objects.filter(sender=member)
            .exclude(status=Introduction.Status.ACCEPTED)
            .select_related("recipient")[:SENT_SHOWN]
        )
        for introduction in sent:
            introduction.shown_status = introduction.status_for(member)
    paginator = Paginator(_my_conversations(request.user), CONVERSATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    badge_refresh([request.user.pk])
    preference = MessagePreference.objects.filter(user=request.user).first()
    notify = preference.notify if preference else MessagePreference.Notify.EACH
    context = {
        "member": member,
        "waiting": waiting,
        "sent": sent,
        "page": page,
        "preference_form": PreferenceForm(initial={"notify": notify}),
    }
    return render(request, "connections/index.html", context)


@login_required
@require_POST
def preferences(request):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.preference_set(user=request.user, notify=form.cleaned_data["notify"])
        messages.success(request, _("Your choice was saved."))
    else:
        messages.error(request, _("Choose how you want to hear of new messages."))
    return redirect("connections:index")


def _get_participant_for_user(request, pk):
    """The signed-in user's side of conversation ``pk``; 404 for anyone else (staff too)."""
    return get_object_or_404(
        Participant.objects.select_related(
            "conversation__introduction__sender", "conversation__introduction__recipient"
        ),
        conversation_id=pk,
        user=request.user,
        left_at__isnull=True,
    )


@login_required
def conversation(request, pk):
    """A conversation: its messages (the newest page by default) and the form to write one.
    Opening it marks everything read."""
    mine = _get_participant_for_user(request, pk)
    conversation = mine.conversation
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_post(
                conversation=conversation, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{conversation.get_absolute_url()}#latest")
    other = conversation.participants.exclude(pk=mine.pk).first()
    paginator = Paginator(
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .order_by("-created_at", "-pk"),
        MESSAGES_PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("page"))
    if request.method == "GET":
        services.conversation_read(participant=mine)
    context = {
        "conversation": conversation,
        "mine": mine,
        "other": other,
        "page": page,
        "messages_shown": list(reversed(page.object_list)),
        "form": form,
        "ended": conversation.is_ended,
        "report_form": ReportForm(),
    }
    return render(request, "connections/conversation.html", context)


@login_required
@require_POST
def conversation_leave(request, pk):
    """Leave a conversation (``block`` set: and hear no more from the other side)."""
    mine = _get_participant_for_user(request, pk)
    and_block = request.POST.get("block") == "1"
    services.conversation_leave(
        conversation=mine.conversation, user=request.user, and_block=and_block
    )
    messages.success(
        request,
        _("You left the conversation and blocked the other member.")
        if and_block
        else _("You left the conversation."),
    )
    return redirect("connections:index")


@login_required
@require_POST
def message_report(request, pk):
    """Report a message one received to ILO staff; only a participant who did not write it."""
    message = get_object_or_404(
        Message.objects.select_related("author", "conversation__introduction"),
        pk=pk,
        conversation__participants__user=request.user,
    )
    if message.author.user_id == request.user.pk:
        raise Http404
    form = ReportForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.message_report(message=message, user=request.user, reason=reason)
    messages.success(request, _("Thank you: ILO staff will look at this message."))
    return redirect(message.conversation.get_absolute_url())
