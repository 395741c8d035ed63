from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.management import call_command

from demo.loader import demo_sign_in_text


class Command(RunserverCommand):
    help = (
        "Run the demo: migrate the database, load the demo council unless it is loaded, start the "
        "development server (without the autoreloader) and print the sign-in accounts once it listens."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", accounts=False, stdout=self.stdout, stderr=self.stderr)
        # One process: the autoreloader would start a second one and load it all again.
        super().handle(*args, **{**options, "use_reloader": False})

    def on_bind(self, server_port):
        super().on_bind(server_port)
        host = f"[{self.addr}]" if self._raw_ipv6 else "0.0.0.0" if self.addr == "0" else self.addr
        # Printed last, where the eye lands; the requests' log follows as pages are visited.
        self.stdout.write("\n" + demo_sign_in_text(f"{self.protocol}://{host}:{server_port}/") + "\n")
