from __future__ import annotations

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[4]


def test_every_environment_variable_is_documented_in_env_example():
    settings_source = (REPOSITORY / "src/townsquare/config/settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', settings_source))
    documented = set(
        re.findall(r"^#? ?([A-Z0-9_]+)=", (REPOSITORY / ".env.example").read_text(), re.MULTILINE)
    )
    assert read, "no settings found"
    assert read - documented == set()
