from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` proves the hash chain untouched."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.is_intact:
            self.stdout.write(
                self.style.SUCCESS(f"Audit log intact: {result.checked} records verified.")
            )
            return
        raise CommandError(
            f"Audit log broken at record #{result.first_broken_id}: {result.reason}. "
            f"{result.checked} records before it verified."
        )
