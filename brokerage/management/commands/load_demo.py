from django.core.management.base import BaseCommand

from brokerage.demo import DEMO_PASSWORD, DemoLoader


class Command(BaseCommand):
    help = "Load the demo region (South West England and the Welsh consortia). Safe to run again."

    def handle(self, *args, **options):
        counts = DemoLoader().run()
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(self.style.SUCCESS("Demo region loaded. Sign in at http://127.0.0.1:8000/accounts/login/ as:"))
        for username, who in [
            ("coordinator", "coordinator (the admin at /admin/, insights)"),
            ("worker", "regional worker (workspace at /workspace/)"),
            ("provider", "provider contact at Exeter College (/account/)"),
        ]:
            self.stdout.write(f"  {username:12} password {DEMO_PASSWORD}   {who}")
