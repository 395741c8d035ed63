"""Good news stories: the performance team writes them, publishes them on the public pages
and withdraws them; each change is kept with who and when."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from indicators.permissions import require
from organisation.permissions import is_performance_team
from pmis.history import changes
from pmis.web import form_refusals, run_action

from .. import services
from ..forms import GoodNewsForm
from ..models import GoodNewsStory


@login_required
def story_list(request):
    require(is_performance_team(request.user))
    stories = GoodNewsStory.objects.select_related("indicator", "priority").order_by("-date", "-pk")
    return render(request, "reviews/good_news_list.html", {"stories": list(stories)})


@login_required
def story_edit(request, pk: int | None = None):
    require(is_performance_team(request.user))
    story = get_object_or_404(GoodNewsStory, pk=pk) if pk else None
    if request.method == "POST":
        form = GoodNewsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with form_refusals(form):
                saved = services.good_news_save(
                    story=story,
                    by=request.user,
                    expected_version=data.pop("version"),
                    **data,
                )
            if not form.errors:
                state = "published: the public pages show the change" if saved.is_published else "saved, not published"
                messages.success(request, f"The story “{saved.title}” is {state}.")
                return redirect(reverse("reviews:good-news-story", args=[saved.pk]))
    elif story:
        form = GoodNewsForm(
            initial={
                "title": story.title,
                "text": story.text,
                "date": story.date.strftime("%d/%m/%Y"),
                "indicator": story.indicator_id,
                "priority": story.priority_id,
                "version": story.version,
            }
        )
    else:
        form = GoodNewsForm()
    history = (
        changes(
            story.history.select_related("history_user", "indicator", "priority"),
            [("title", "Headline"), ("date", "Date"), ("indicator", "Indicator"), ("priority", "Priority")],
        )
        if story
        else []
    )
    return render(request, "reviews/good_news_edit.html", {"form": form, "story": story, "changes": history})


def _publish(request, pk: int, publish: bool):
    require(is_performance_team(request.user))
    story = get_object_or_404(GoodNewsStory, pk=pk)
    run_action(
        request,
        services.good_news_publish,
        f"“{story.title}” is {'published on the public pages' if publish else 'withdrawn from the public pages'}.",
        story=story,
        publish=publish,
    )
    return redirect(reverse("reviews:good-news-story", args=[story.pk]))


@require_POST
@login_required
def story_publish(request, pk: int):
    return _publish(request, pk, True)


@require_POST
@login_required
def story_withdraw(request, pk: int):
    return _publish(request, pk, False)
