"""Progress reports say which year and period they report on (年度报告取当年的进度), and past ones can be imported."""

from django.db import migrations, models


def fill_periods(apps, schema_editor):
    TaskProgress = apps.get_model("steering", "TaskProgress")
    for update in TaskProgress.objects.all().iterator():
        update.year = update.reported_on.year
        update.period = f"q{(update.reported_on.month - 1) // 3 + 1}"
        update.save(update_fields=["year", "period"])


class Migration(migrations.Migration):
    dependencies = [("steering", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="taskprogress",
            name="year",
            field=models.PositiveSmallIntegerField(default=2000, verbose_name="所属年度"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="taskprogress",
            name="period",
            field=models.CharField(
                choices=[
                    ("q1", "第一季度"),
                    ("q2", "第二季度"),
                    ("q3", "第三季度"),
                    ("q4", "第四季度"),
                    ("annual", "全年"),
                ],
                default="q1",
                max_length=10,
                verbose_name="报送期次",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="taskprogress",
            name="evidence_note",
            field=models.CharField(
                blank=True, help_text="往年记录：佐证材料的名称和存放处", max_length=300, verbose_name="佐证说明"
            ),
        ),
        migrations.AddField(
            model_name="taskprogress",
            name="historical",
            field=models.BooleanField(default=False, verbose_name="历史数据导入"),
        ),
        migrations.RunPython(fill_periods, migrations.RunPython.noop),
    ]
