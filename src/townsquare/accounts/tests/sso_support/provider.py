"""Start and stop the test OpenID Connect provider (``oidc_provider/``) as a real subprocess."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

import townsquare

from .keys import make_key_pair

SERVE_MODULE = "townsquare.accounts.tests.sso_support.oidc_provider.serve"
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class ProviderPerson:
    username: str
    email: str
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class ProviderClient:
    client_id: str
    redirect_uris: tuple[str, ...]
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))


@dataclass(frozen=True)
class RunningProvider:
    base_url: str
    log_path: Path

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/o"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_SECONDS)


def _wait_for_port(process: subprocess.Popen[bytes], port_file: Path, log_path: Path) -> int:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if port_file.exists():
            return int(port_file.read_text(encoding="utf-8"))
        if process.poll() is not None:
            raise RuntimeError(
                "The test OIDC provider stopped while starting:\n"
                + log_path.read_text(encoding="utf-8", errors="replace")
            )
        time.sleep(0.1)
    raise RuntimeError(
        f"The test OIDC provider did not start in {START_TIMEOUT_SECONDS:.0f}s:\n"
        + log_path.read_text(encoding="utf-8", errors="replace")
    )


@contextmanager
def oidc_provider(
    *, directory: Path, clients: list[ProviderClient], people: list[ProviderPerson]
) -> Iterator[RunningProvider]:
    """A django-oauth-toolkit OIDC provider on a free 127.0.0.1 port with its own SQLite file and
    a freshly generated RSA key; stopped (and killed if need be) when the block ends."""
    directory.mkdir(parents=True, exist_ok=True)
    config_path = directory / "provider.json"
    port_file = directory / "port"
    log_path = directory / "provider.log"
    config = {
        "secret_key": secrets.token_urlsafe(40),
        "database": str(directory / "provider.sqlite3"),
        "rsa_private_key": make_key_pair("test OIDC provider").private_key_pem,
        "port_file": str(port_file),
        "people": [person.__dict__ for person in people],
        "clients": [
            {
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "redirect_uris": list(client.redirect_uris),
            }
            for client in clients
        ],
    }
    config_path.write_text(json.dumps(config), encoding="utf-8")
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SETTINGS_MODULE", "PYTHONWARNINGS"}
    }
    source_root = str(Path(townsquare.__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (source_root, environment.get("PYTHONPATH", "")) if part
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", SERVE_MODULE, str(config_path)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    try:
        port = _wait_for_port(process, port_file, log_path)
        running = RunningProvider(base_url=f"http://127.0.0.1:{port}", log_path=log_path)
        discovery = requests.get(f"{running.issuer}/.well-known/openid-configuration", timeout=10)
        discovery.raise_for_status()
        yield running
    finally:
        _stop(process)
