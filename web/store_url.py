"""The store settings' forms: LOOKBACK_STORE_URL (s3://bucket/prefix) and
LOOKBACK_STORE_ENDPOINT (http(s)://host[:port]); refusals say which setting and why."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from web.i18n import t

# S3's bucket names: 3-63 lower-case letters, digits, dots and hyphens.
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def parse_store_url(value: str) -> tuple[str, str]:
    """The bucket and key prefix of s3://bucket/prefix; ValueError for anything else."""
    parts = urlsplit(value)
    if parts.scheme != "s3" or not BUCKET.match(parts.netloc) or parts.query or parts.fragment:
        raise ValueError(t("store.bad_url", value=value))
    return parts.netloc, parts.path.strip("/")


def check_endpoint(value: str) -> None:
    """Refuse an endpoint that is not http(s)://host[:port]."""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (a bad port raises)
    except ValueError:
        raise ValueError(t("store.bad_endpoint", value=value)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(t("store.bad_endpoint", value=value))
