from django.db import models


class Email(models.Model):
    """An email to send, written in the same transaction as the change it tells of.

    Keeping emails here rather than only in the task queue means a change is saved even while
    Redis is down; the email goes once the queue is back (outbox.tasks). A key makes a
    reminder idempotent: the same key is never queued twice.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="email_unsent")]

    def __str__(self):
        return f"{self.subject} to {self.to}"
