"""``townsquare library_load_clauses``: put the policy builder's clause set into the database.

Safe to run again: clauses and options that exist are kept as staff left them, unless
``--update`` asks to restore the project's text and order."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...models import PolicyClause, PolicyOption
from ...policy_clauses import clauses_load


class Command(BaseCommand):
    help = "Load the policy builder's clauses and options (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Restore the project's text and order over staff edits of the same clauses.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        created = clauses_load(update=options["update"])
        self.stdout.write(
            f"Policy clauses: {created} created. Now {PolicyClause.objects.count()} clauses "
            f"with {PolicyOption.objects.count()} options."
        )
