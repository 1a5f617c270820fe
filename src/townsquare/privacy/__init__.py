"""The PHI guard: finds HIPAA Safe Harbor identifiers in text before it is published."""
