"""The PHI guard: finds HIPAA Safe Harbor identifiers in text before it is published.

Other apps use only what is exported here::

    from townsquare.privacy import scan, Finding, PhiKind, LIKELY_CONFIDENCE
    from townsquare.privacy import findings_summary, findings_audit, highlight_html
"""

from .audit import findings_audit
from .findings import LIKELY_CONFIDENCE, Finding, PhiKind, findings_summary
from .html import highlight_html
from .scanner import scan

__all__ = [
    "LIKELY_CONFIDENCE",
    "Finding",
    "PhiKind",
    "findings_audit",
    "findings_summary",
    "highlight_html",
    "scan",
]
