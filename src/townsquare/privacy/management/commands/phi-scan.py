"""``townsquare phi-scan``: find HIPAA identifiers in text read from standard input.

The file name has a hyphen so the command is spelled ``phi-scan``; Django imports command modules
by file name, so no alias is needed. The work is done by ``townsquare.privacy.stream``.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from townsquare.privacy.stream import scan_stream


class Command(BaseCommand):
    help = (
        "Find HIPAA Safe Harbor identifiers in standard input. Plain text is one post (or one per "
        "line with --lines); JSON lines with a 'text' field are detected. Writes one JSON line "
        "per post: its findings (kind, start, end, confidence), never the text."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=["auto", "text", "jsonl"],
            default="auto",
            help="Input format (default: auto, JSON lines when every line starts with '{').",
        )
        parser.add_argument(
            "--lines",
            action="store_true",
            help="Plain text: each non-empty line is a post of its own.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        status = scan_stream(
            sys.stdin,
            self.stdout,
            self.stderr,
            input_format=options["format"],
            lines=options["lines"],
        )
        if status:
            raise SystemExit(status)
