"""Test helpers shared by every app (pytest plugins live here, never in production code paths)."""
