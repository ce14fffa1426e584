"""factory_boy factories. FINESS numbers are generated with a valid Luhn key."""

import datetime

import factory
from django.utils import timezone

from dui.finess import luhn_is_valid
from dui.ins import search_key
from dui.models import Essms, EssmsKind, Membership, Metier, OrganismeGestionnaire, Unit, Usager, User
from dui.services import habilitations_fill_defaults

TEST_PASSWORD = "Correct-horse-battery-42"


def luhn_complete(body: str) -> str:
    """Append the Luhn check digit to an 8-digit body."""
    for digit in "0123456789":
        if luhn_is_valid(body + digit):
            return body + digit
    raise AssertionError("unreachable")


class OrganismeGestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganismeGestionnaire
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association {n}")
    finess_juridique = factory.Sequence(lambda n: luhn_complete(f"{750000000 + n * 10:09d}"[:8]))

    @factory.post_generation
    def matrix(self, create, extracted, **kwargs):
        if create:
            habilitations_fill_defaults(og=self)


class EssmsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Essms

    og = factory.SubFactory(OrganismeGestionnaireFactory)
    name = factory.Sequence(lambda n: f"EHPAD Les Tilleuls {n}")
    finess = factory.Sequence(lambda n: luhn_complete(f"{69000000 + n:08d}"))
    kind = EssmsKind.EHPAD
    capacity = 80


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    essms = factory.SubFactory(EssmsFactory)
    name = factory.Sequence(lambda n: f"Unité {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    essms = factory.SubFactory(EssmsFactory)
    metier = Metier.IDE
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class UsagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Usager

    essms = factory.SubFactory(EssmsFactory)
    birth_name = factory.Sequence(lambda n: f"DURAND{n}")
    first_names = "Jeanne Marie"
    birth_date = datetime.date(1938, 5, 12)
    sex = "F"
    used_name = ""
    used_first_name = ""
    search_text = factory.LazyAttribute(
        lambda o: search_key(o.birth_name, o.used_name, o.first_names, o.used_first_name)
    )


def professional(essms: Essms, metier: str = Metier.IDE, **user_kwargs) -> User:
    """A user with one active membership, ready to act (membership attached as on a request)."""
    membership = MembershipFactory(essms=essms, metier=metier, user=UserFactory(**user_kwargs))
    user = membership.user
    user.membership = membership
    return user


def coded_allergy(**overrides) -> dict:
    """The coding an allergy needs (a class of the starter referential, a severity); keyword arguments win."""
    from dui.models import SubstanceClass

    return {"substance_class": SubstanceClass.objects.get(code="iode"), "severity": "moderee"} | overrides
