import datetime

import factory

from plans.models import Milestone, Plan, PlanKind, Priority
from tests.organisation.factories import ServiceFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    kind = PlanKind.SERVICE
    title = factory.Sequence(lambda n: f"Service business plan {n}")
    owner_service = factory.SubFactory(ServiceFactory)
    first_year = 2025
    last_year = 2025


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due = datetime.date(2025, 12, 31)
