"""Searchable course text for ``core.search`` (kind ``course``)."""
