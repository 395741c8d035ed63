"""Emails that tell people their part of the cycle has moved: written in the change's
transaction (call them inside it), sent after it commits."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import ngettext

from outbox.services import absolute, email_queue


def notify(user, subject: str, lines: list[str], path: str, *, key: str | None = None) -> int:
    """Queue an email to the user (none without an address); the number queued, 0 or 1."""
    if user is None or not user.email:
        return 0
    body = "\n\n".join([f"Dear {user.get_full_name() or user.username},", *lines, absolute(path)])
    email = email_queue(to=user.email, subject=f"{settings.PMIS_COUNCIL_NAME}: {subject}", body=body, key=key)
    return int(email is not None)


def notify_target_awaiting_sign_off(target) -> None:
    indicator = target.indicator
    holder = indicator.portfolio.holder if indicator.portfolio else None
    notify(
        holder,
        f"target for {indicator.code} awaits your sign-off",
        [
            f"The performance team has quality-assured the {target.period} target for {indicator}: "
            f"{indicator.format_value(target.value)}.",
            "Please sign it off or send it back with a comment:",
        ],
        reverse("indicators:sign-off"),
    )


def notify_target_years_awaiting_sign_off(years) -> None:
    """One email to each portfolio holder listing the years' targets just quality-assured
    that await their sign-off (each year with its indicator, its portfolio and its annual
    target as `annual`)."""
    by_holder = {}
    for target_year in years:
        portfolio = target_year.indicator.portfolio
        holder = portfolio.holder if portfolio else None
        if holder is not None:
            by_holder.setdefault(holder, []).append(target_year)
    for holder, theirs in by_holder.items():
        count = len(theirs)
        notify(
            holder,
            ngettext(
                "%(count)d indicator's targets await your sign-off",
                "%(count)d indicators' targets await your sign-off",
                count,
            )
            % {"count": count},
            [
                ngettext(
                    "The performance team has quality-assured the year's targets for %(count)d indicator:",
                    "The performance team has quality-assured the year's targets for %(count)d indicators:",
                    count,
                )
                % {"count": count},
                "\n".join(
                    f"- {y.indicator}, {y.year_label}: annual target {y.indicator.format_value(y.annual)}"
                    for y in theirs
                ),
                "Sign them off, or send any back with a comment, on one page:",
            ],
            reverse("indicators:sign-off"),
        )


def notify_outturn_returned(outturn) -> None:
    notify(
        outturn.entered_by,
        f"{outturn.indicator.code} {outturn.period} return sent back",
        [
            f"The performance team has sent back your {outturn.period} return for {outturn.indicator}:",
            outturn.return_comment,
            "Please correct it and submit it again:",
        ],
        reverse("indicators:outturn-entry", args=[outturn.indicator_id, outturn.period_id]),
    )


def notify_outturn_validated(outturn) -> None:
    notify(
        outturn.entered_by,
        f"{outturn.indicator.code} {outturn.period} return validated",
        [f"The performance team has validated your {outturn.period} return for {outturn.indicator}."],
        reverse("indicators:my-returns"),
    )


def notify_outturns_validated(outturns) -> None:
    """One email to each officer who entered any of outturns (each with its indicator and
    period), listing their returns just validated."""
    by_officer = {}
    for outturn in outturns:
        by_officer.setdefault(outturn.entered_by, []).append(outturn)
    for officer, theirs in by_officer.items():
        if len(theirs) == 1:
            notify_outturn_validated(theirs[0])
            continue
        notify(
            officer,
            f"{len(theirs)} returns validated",
            [
                f"The performance team has validated {len(theirs)} of your returns:",
                "\n".join(f"- {o.indicator}, {o.period}" for o in theirs),
            ],
            reverse("indicators:my-returns"),
        )
