"""The `townsquare` command.

townsquare up                 migrate, load demo data once, print sign-ins, serve (development)
townsquare serve [--dev]      serve with gunicorn (or Django's development server with --dev)
townsquare worker [--beat]    run a Celery worker (needs CELERY_BROKER_URL); --beat also runs
                              the periodic tasks (event reminders, expiring seat offers)
townsquare demo [--scale small|large]
townsquare audit verify
townsquare <django command>   any manage.py command, e.g. `townsquare createsuperuser`
"""

from __future__ import annotations

import os
import sys


def _django(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["townsquare", *argv])


def _up(argv: list[str]) -> None:
    # `up` is the development and demo entry point: debug on, SQLite under ./var by default.
    os.environ.setdefault("DEBUG", "true")
    from pathlib import Path

    # The development server's autoreloader runs this command again in a child process
    # (RUN_MAIN=true); the set-up has already been done by then.
    if os.environ.get("RUN_MAIN") != "true":
        Path("var").mkdir(exist_ok=True)
        _django(["migrate", "--no-input", "-v", "0"])
        _django(["createcachetable"])
        _django(["demo", "--scale", "small"])
    address = argv[0] if argv else "127.0.0.1:8000"
    _django(["runserver", address])


def _serve(argv: list[str]) -> None:
    if "--dev" in argv:
        os.environ.setdefault("DEBUG", "true")
        rest = [arg for arg in argv if arg != "--dev"]
        _django(["runserver", *(rest or ["127.0.0.1:8000"])])
        return
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    workers = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 1) * 2 + 1))
    args = [
        "gunicorn",
        "townsquare.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        workers,
        "--access-logfile",
        "-",
        *argv,
    ]
    os.execvp(args[0], args)  # noqa: S606 - replaces this process with gunicorn


def _worker(argv: list[str]) -> None:
    if not os.environ.get("CELERY_BROKER_URL"):
        sys.stderr.write(
            "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to run a worker. "
            "Without a broker, tasks run inline after each commit.\n"
        )
        raise SystemExit(2)
    from townsquare.config.celery import app

    app.worker_main(["worker", "--loglevel", os.environ.get("LOG_LEVEL", "INFO"), *argv])


COMMANDS = {"up": _up, "serve": _serve, "worker": _worker}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.config.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        sys.stdout.write(__doc__ or "")
        if not argv:
            return
    command = COMMANDS.get(argv[0])
    if command is not None:
        command(argv[1:])
    else:
        _django(argv)


if __name__ == "__main__":
    main()
