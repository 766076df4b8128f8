"""factory_boy factories for plain data. Workflow state is built through services, not here."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from servicedesk.org.models import Department, ProductLine, Staff, Station, Zone
from tickets.models import Contract, Customer, Unit

PASSWORD = "s3cret-pass-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
            self.is_staff = True
        if create:
            self.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = "HD"
    name = "华东区售后服务部"


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        django_get_or_create = ["code"]

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"ST{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}服务站")
    province = "上海市"


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"产品线{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    employee_no = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Faker("name", locale="zh_CN")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    station = factory.SubFactory(StationFactory)
    zone = Zone.URBAN


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"客户{n}")
    kind = Customer.Kind.ENTERPRISE
    phone = factory.Sequence(lambda n: f"021-{60000000 + n}")
    address = "上海市浦东新区张杨路1号"
    zone = Zone.URBAN
    distance_km = Decimal("5")
    station = factory.SubFactory(StationFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    customer = factory.SubFactory(CustomerFactory)
    product_line = factory.SubFactory(ProductLineFactory)
    model = "KFR-35GW"
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    purchase_date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    warranty_start = factory.LazyAttribute(lambda o: o.purchase_date)
    warranty_end = factory.LazyAttribute(lambda o: o.purchase_date + timedelta(days=365))


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    customer = factory.SubFactory(CustomerFactory)
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=300))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=364))
    annual_fee = Decimal("3600.00")
