import factory

from organisation.models import Directorate, Portfolio, Service, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate

    code = factory.Sequence(lambda n: f"dir{n}")
    name = factory.Sequence(lambda n: f"Directorate {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"svc{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    directorate = factory.SubFactory(DirectorateFactory)


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    code = factory.Sequence(lambda n: f"port{n}")
    name = factory.Sequence(lambda n: f"Portfolio {n}")
    holder = factory.SubFactory(UserFactory)
