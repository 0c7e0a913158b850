import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0001_initial'),
        ('planning', '0004_province_rotation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SharedPool',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('fields', models.JSONField(blank=True, default=list, verbose_name='procedure fields')),
                ('procedure_codes', models.JSONField(blank=True, default=list, verbose_name='procedure codes')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shared_pools', to='places.commune')),
                ('members', models.ManyToManyField(blank=True, related_name='shared_pools', to=settings.AUTH_USER_MODEL, verbose_name='members')),
            ],
            options={
                'verbose_name': 'shared pool',
                'verbose_name_plural': 'shared pools',
                'ordering': ['commune_id', 'name', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('commune', 'name'), name='one_shared_pool_per_name')],
            },
        ),
        migrations.AddField(
            model_name='proposedassignment',
            name='pool',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='planning.sharedpool'),
        ),
    ]
