from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.core.search import search_kinds, search_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the tables: every kind of document, or one with "
        "--kind. Safe to run while the site is up; each batch commits on its own."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KIND",
            help="Only this kind (e.g. person); repeat for several.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="Documents written per transaction (default 1000).",
        )

    def handle(self, *args: Any, kinds: list[str] | None, batch_size: int, **options: Any) -> None:
        known = search_kinds()
        unknown = sorted(set(kinds or ()) - set(known))
        if unknown:
            raise CommandError(
                f"Unknown kind: {', '.join(unknown)}. Known kinds: {', '.join(known)}."
            )
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        for kind in kinds or known:
            started = time.monotonic()
            result = search_rebuild(kind, batch_size=batch_size)
            seconds = time.monotonic() - started
            self.stdout.write(
                f"{kind}: {result.indexed} indexed, {result.removed} removed ({seconds:.1f} s)"
            )
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
