"""Scrutiny: watch lists, referrals of a measure to a surgery or a scrutiny review and the
performance team's answers, and the scrutiny boards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from indicators.models import Indicator
from indicators.permissions import can_read, require
from organisation.permissions import is_performance_team
from pmis.web import form_errors, form_refusals

from .. import scrutiny
from ..forms import BoardForm, ReferralAnswerForm, ReferralForm, WatchAddForm
from ..models import Referral, ScrutinyBoard, WatchedMeasure
from ..watchlists import watch_list_for


@login_required
def watch_list(request):
    """The user's own watch list and their boards', with the latest figures; add and remove."""
    require(can_read(request.user))
    form = WatchAddForm(request.POST if request.method == "POST" and "indicator" in request.POST else None)
    if request.method == "POST":
        if "remove" in request.POST:
            item = get_object_or_404(WatchedMeasure.objects.select_related("board"), pk=request.POST["remove"])
            try:
                scrutiny.watch_remove(item=item, by=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, "Taken off the watch list.")
            return redirect("reviews:watch-list")
        board = None
        if request.POST.get("board"):
            board = get_object_or_404(ScrutinyBoard, pk=request.POST["board"])
        require(scrutiny.can_watch(request.user, board))
        if not form.is_valid():
            messages.error(request, "Choose the measure to add to the watch list.")
            return redirect("reviews:watch-list")
        try:
            scrutiny.watch_add(indicator=form.cleaned_data["indicator"], board=board, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            where = board or "your watch list"
            messages.success(request, f"{form.cleaned_data['indicator'].code} added to {where}.")
        return redirect("reviews:watch-list")
    context = {
        "watch": watch_list_for(request.user),
        "form": form,
        "may_watch": scrutiny.can_watch(request.user, None),
        "may_refer": scrutiny.can_refer(request.user),
    }
    return render(request, "reviews/watch_list.html", context)


@login_required
def referral_add(request, indicator_id: int):
    require(scrutiny.can_refer(request.user))
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    boards = list(ScrutinyBoard.objects.filter(members=request.user)) + list(
        ScrutinyBoard.objects.filter(chair=request.user)
    )
    form = ReferralForm(request.POST if request.method == "POST" else None, boards=boards)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scrutiny.referral_raise(
                indicator=indicator, kind=data["kind"], reason=data["reason"], board=data["board"], by=request.user
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"{indicator.code} referred: the performance team will answer.")
            return redirect("reviews:referrals")
    return render(request, "reviews/referral_add.html", {"form": form, "indicator": indicator})


@login_required
def referrals(request):
    """The performance team sees every referral; a scrutiny member, their own."""
    require(can_read(request.user))
    found = Referral.objects.select_related("indicator", "raised_by", "answered_by", "board")
    team = is_performance_team(request.user)
    if not team:
        found = found.filter(raised_by=request.user)
    return render(request, "reviews/referrals.html", {"referrals": list(found), "is_team": team})


@login_required
def referral_answer(request, pk: int):
    require(is_performance_team(request.user))
    referral = get_object_or_404(Referral.objects.select_related("indicator", "raised_by", "board"), pk=pk)
    form = ReferralAnswerForm(
        request.POST if request.method == "POST" else None,
        initial={"answer": referral.answer, "version": referral.version},
    )
    if request.method == "POST" and form.is_valid():
        with form_refusals(form):
            scrutiny.referral_answer(
                referral=referral,
                answer=form.cleaned_data["answer"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        if not form.errors:
            messages.success(request, "Referral answered.")
            return redirect("reviews:referrals")
    return render(request, "reviews/referral_answer.html", {"form": form, "referral": referral})


@login_required
def boards(request):
    require(is_performance_team(request.user))
    form = BoardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scrutiny.board_create(name=data["name"], chair=data["chair"], members=data["members"], by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"{data['name']} recorded.")
            return redirect("reviews:scrutiny-boards")
    found = ScrutinyBoard.objects.select_related("chair").prefetch_related("members")
    return render(request, "reviews/scrutiny_boards.html", {"form": form, "boards": list(found)})
