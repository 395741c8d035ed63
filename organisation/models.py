from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The roles of docs/domain.md. Each is a Django group of the same name; a person may hold several."""

    OFFICER = "officer", "Officer (data owner)"
    SERVICE_MANAGER = "service_manager", "Service manager"
    PERFORMANCE_TEAM = "performance_team", "Performance team"
    PORTFOLIO_HOLDER = "portfolio_holder", "Portfolio holder"
    CHIEF_OFFICER = "chief_officer", "Chief officer"
    SCRUTINY_MEMBER = "scrutiny_member", "Scrutiny member"
    # Named people who, with the performance team, keep the risk registers and the audit
    # and inspection recommendations (risks/).
    RISK_AND_AUDIT = "risk_and_audit", "Risk and audit"


class User(AbstractUser):
    job_title = models.CharField(max_length=200, blank=True)
    service = models.ForeignKey(
        "Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        help_text="The service this person works in; officers report for it.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    # Who changed a person's details, roles or active status, and when (never their password).
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Directorate(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200, unique=True)
    director = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="directorates")
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Service(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="services")
    manager = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="managed_services")
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["directorate", "name"], name="service_name_unique_in_directorate"),
        ]

    def __str__(self):
        return self.name


class Portfolio(models.Model):
    """A cabinet portfolio: the services (and so the indicators) one cabinet member answers for."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200, unique=True)
    holder = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portfolios",
        help_text="The cabinet member (portfolio holder) who signs off this portfolio's targets.",
    )
    services = models.ManyToManyField(Service, blank=True, related_name="portfolios")
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save; stops two people overwriting each other."
    )

    # A re-alignment of services to portfolios is recorded with its date and who made it.
    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SignInPolicy(models.Model):
    """How staff sign in: one row, changed by the performance team (organisation.two_factor)."""

    require_two_factor = models.BooleanField(
        default=False,
        help_text="Everyone with a role must sign in with a code from an authenticator app as well as "
        "their password; those without one set it up at their next sign-in.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "sign-in policy"
        verbose_name_plural = "sign-in policy"

    def __str__(self):
        return "Two-factor sign-in required" if self.require_two_factor else "Two-factor sign-in optional"

    @classmethod
    def current(cls) -> "SignInPolicy":
        return cls.objects.first() or cls()
