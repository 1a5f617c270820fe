"""Every named page and every API operation must have a row in some app's permission matrix
(``townsquare.<app>.tests.test_permission_matrix*``: PAGES, WRITES, API, API_WRITES)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver


def _matrices() -> list[ModuleType]:
    """Each app's ``tests/test_permission_matrix*.py`` modules (an app may split it by area)."""
    modules: list[ModuleType] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("townsquare."):
            continue
        try:
            tests = importlib.import_module(f"{config.name}.tests")
        except ModuleNotFoundError:
            continue
        modules.extend(
            importlib.import_module(f"{tests.__name__}.{module.name}")
            for module in pkgutil.iter_modules(tests.__path__)
            if module.name.startswith("test_permission_matrix")
        )
    return modules


def _named_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in {"admin"} or "allauth" in str(pattern.urlconf_name):
                    continue
                child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, child)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_is_in_the_matrix():
    covered: set[str] = set()
    tested: set[tuple[str, str]] = set()
    for matrix in _matrices():
        covered |= {row[0].split(" ")[0] for row in getattr(matrix, "PAGES", [])}
        covered |= {row[0].split(" ")[0] for row in getattr(matrix, "WRITES", [])}
        tested |= {
            (method.upper(), path)
            for method, path, *_ in [
                *getattr(matrix, "API", []),
                *getattr(matrix, "API_WRITES", []),
            ]
        }
    pages = {name for name in _named_urls() if not name.startswith("api:")}
    assert pages - covered == set(), "add these pages to the permission matrix"

    from townsquare.config.api import api

    operations = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                operations.add((tuple(operation.methods), operation.view_func.__name__))
    assert len(tested) >= len(operations), "add the new API endpoints to the permission matrix"
