"""Run the test OpenID Connect provider: ``python -m ...oidc_provider.serve CONFIG.json``.

Creates its database, the client application and the people from the config, binds a free port on
127.0.0.1, writes that port to ``port_file`` and serves until terminated.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _seed(config: dict[str, Any]) -> None:
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import Application

    user_model = get_user_model()
    for person in config["people"]:
        user_model.objects.create_user(
            username=person["username"],
            email=person["email"],
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
    for client in config["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )


def _exit_with_parent() -> None:
    """Never outlive the test run, even if it is killed before its clean-up runs."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    _exit_with_parent()
    config_path = Path(sys.argv[1]).resolve()
    os.environ["OIDC_TEST_PROVIDER_CONFIG"] = str(config_path)
    os.environ["DJANGO_SETTINGS_MODULE"] = (
        "townsquare.accounts.tests.sso_support.oidc_provider.settings"
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    config = json.loads(config_path.read_text(encoding="utf-8"))
    call_command("migrate", verbosity=0, interactive=False)
    _seed(config)
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    port_file = Path(config["port_file"])
    partial = port_file.with_suffix(".partial")
    partial.write_text(str(server.server_address[1]), encoding="utf-8")
    partial.replace(port_file)  # atomic: the test never reads half a number
    server.serve_forever()


if __name__ == "__main__":
    main()
