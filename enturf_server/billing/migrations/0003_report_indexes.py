"""An index for the sales report: a booking's counted payments and their methods."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_voucher_batch"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                fields=["booking", "state", "method"], name="payment_booking_method"
            ),
        ),
    ]
