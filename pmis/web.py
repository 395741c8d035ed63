"""Helpers every app's views use: services' errors on forms, workflow steps as messages,
and going back to the page a form was on."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from .locking import ConflictError


def redirect_back(request, default: str):
    """After a POST action: back to the page its form was on (its "next" field) if that is
    on this site, else to default (a URL)."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect(default)


def form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on a field it has, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def form_conflict(form, conflict) -> None:
    """Show a ConflictError (someone saved since the form was opened) on the form, and carry
    the record's new version, so that saving again is checked against what is now shown."""
    form_errors(form, conflict)
    form.data = form.data.copy()
    form.data["version"] = conflict.record.version


@contextmanager
def form_refusals(form):
    """Save what a form holds through a service, putting its refusal on the form: a stale
    edit (form_conflict) or a broken rule (form_errors). The page goes on when nothing was
    refused:

        with form_refusals(form):
            saved = services.thing_save(..., expected_version=form.cleaned_data["version"])
        if not form.errors:
            return redirect(...)
    """
    try:
        yield
    except ConflictError as conflict:
        form_conflict(form, conflict)
    except ValidationError as error:
        form_errors(form, error)


def run_action(request, action, success: str, **kwargs) -> None:
    """Take one step of a workflow (a services function) as the signed-in user; its
    refusal, or the success, becomes a message on the next page."""
    try:
        action(by=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
