"""Word lists for the name detector (see names.py); a package so the wheel ships them."""
