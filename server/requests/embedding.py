"""Which outside sites may show the public request form in a frame (the center's own site).

SERVIO_REQUEST_EMBED_ORIGINS lists them, separated by spaces or commas, as scheme://host[:port];
anything else in the list is ignored, so nothing but an origin reaches the header. The form's
pages (and only they) answer `frame-ancestors 'self'` plus those origins.
"""

from __future__ import annotations

import os
import re

from server.middleware import CONTENT_SECURITY_POLICY

_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")


def allowed_origins() -> list[str]:
    """The configured parent origins, checked."""
    given = os.environ.get("SERVIO_REQUEST_EMBED_ORIGINS", "").replace(",", " ").split()
    return [o.rstrip("/").lower() for o in given if _ORIGIN.match(o.rstrip("/").lower())]


def form_headers() -> dict[str, str]:
    """The Content-Security-Policy of the form's pages: the app's own, framable by the list."""
    ancestors = " ".join(["'self'", *allowed_origins()])
    policy = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", f"frame-ancestors {ancestors}"
    )
    return {"Content-Security-Policy": policy}
