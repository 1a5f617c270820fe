from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Load demo data. `small` (the default) is the hand-written demo with one sign-in per "
        "role and is idempotent; `large` adds synthetic data at scale for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args: Any, scale: str, quiet: bool, **options: Any) -> None:
        from townsquare.academy import demo as academy_demo
        from townsquare.accounts import demo
        from townsquare.community import demo as community_demo
        from townsquare.events import demo as events_demo
        from townsquare.library import demo as library_demo

        created = demo.load_small()
        created = academy_demo.load_small() or created
        created = events_demo.load_small() or created
        created = community_demo.load_small() or created
        created = library_demo.load_small() or created
        if scale == "large":
            from townsquare.accounts import demo_large

            demo_large.load_large(stdout=self.stdout)
        if quiet:
            return
        self.stdout.write("Demo data " + ("loaded." if created else "already present; unchanged."))
        self.stdout.write(demo.sign_in_table())
