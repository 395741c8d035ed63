import factory
from faker import Faker

from organisation.models import Directorate, Portfolio, Service, User
from organisation.services import role_groups_ensure

# Names as tests find them in pages: an apostrophe ("O'Connor") is escaped in HTML
# (&#x27;), so a test looking for the name as text would fail at random.
_fake = Faker("en_GB")


def _name(kind: str) -> str:
    return getattr(_fake, kind)().replace("'", "")


class UserFactory(factory.django.DjangoModelFactory):
    """A person: `UserFactory(username="olive.officer", roles=[Role.OFFICER], password="...")`
    gives them the groups of those roles and a password they can sign in with."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(lambda: _name("first_name"))
    last_name = factory.LazyFunction(lambda: _name("last_name"))
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def roles(user, create, roles, **kwargs):
        if roles:
            groups = role_groups_ensure()
            user.groups.add(*(groups[role] for role in roles))

    @factory.post_generation
    def password(user, create, password, **kwargs):
        if password:
            user.set_password(password)
            if create:
                user.save()


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
