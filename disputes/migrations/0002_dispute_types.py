from django.db import migrations

TYPES = [
    ("marriage_family", "婚姻家庭"), ("neighbour", "邻里"), ("housing_land", "房屋宅基地"), ("property_mgmt", "物业"),
    ("contract", "合同"), ("damages", "损害赔偿"), ("labour", "劳动争议"), ("traffic", "道路交通"),
    ("medical", "医疗"), ("consumer", "消费"), ("demolition", "征地拆迁"), ("environment", "环境污染"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    DisputeType = apps.get_model("disputes", "DisputeType")
    for sort, (code, name) in enumerate(TYPES):
        DisputeType.objects.get_or_create(code=code, defaults={"name": name, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
