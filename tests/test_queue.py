"""pmis.queue: background work is queued by the task's name once the change commits."""

import pytest

from pmis.queue import enqueue_after_commit

pytestmark = pytest.mark.django_db


def test_a_task_is_queued_only_once_the_change_commits(django_capture_on_commit_callbacks, monkeypatch):
    from outbox import tasks

    queued = []
    monkeypatch.setattr(tasks.deliver_pending_emails, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_after_commit("outbox.tasks.deliver_pending_emails", 1, 2)
    assert queued == [] and len(callbacks) == 1
    callbacks[0]()
    assert queued == [(1, 2)]


@pytest.mark.parametrize("name", ["outbox.tasks.no_such_task", "no_such_app.tasks.deliver"])
def test_a_wrong_task_name_fails_at_once_not_after_the_commit(name):
    with pytest.raises((AttributeError, ImportError)):
        enqueue_after_commit(name)


def test_a_broker_that_cannot_be_reached_is_logged_not_raised(broker_down, django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit("outbox.tasks.deliver_pending_emails")
    assert "Could not queue outbox.tasks.deliver_pending_emails()" in caplog.text
