"""Build the assessment store from the approvals already in the database."""

from django.db import migrations


def build(apps, schema_editor):
    ApprovedValue = apps.get_model("datavalues", "ApprovedValue")
    if not ApprovedValue.objects.exists():
        return  # a new database: the store fills as values are approved
    from ducha.assessments import store
    from ducha.assessments.services import UnitTree

    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    Indicator = apps.get_model("plans", "Indicator")
    parents, kinds = {}, {}
    for pk, parent, kind in OrgUnit.objects.values_list("pk", "parent_id", "kind"):
        parents[pk], kinds[pk] = parent, kind
    store.rebuild(Indicator.objects.order_by("pk"), UnitTree(parents, kinds), every=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_assessment_store"),
        ("datavalues", "0004_approval_key_index"),
        ("orgunits", "0002_unit_may_allow_self_approval"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
