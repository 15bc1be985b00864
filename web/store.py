"""The file store the settings name: the one place that knows which backend it is (a local
folder under LOOKBACK_DATA_DIR, or S3-compatible storage at LOOKBACK_STORE_URL)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from imagery.errors import StoreUnavailable
from imagery.store import FileStore, Store
from web.i18n import t
from web.settings import Settings
from web.store_url import parse_store_url

if TYPE_CHECKING:
    from imagery.store.s3 import S3Config


def file_store(settings: Settings) -> Store:
    """The store for these settings (an object store's client is made once per process)."""
    if not settings.store_url:
        return FileStore(settings.data_dir)
    from imagery.store.s3 import S3Config

    bucket, prefix = parse_store_url(settings.store_url)
    secret = settings.store_secret_key.get_secret_value() if settings.store_secret_key else None
    config = S3Config(bucket, prefix, settings.store_endpoint, settings.store_access_key,
                      secret, settings.store_region)
    return _object_store(config, Path(settings.data_dir))


@lru_cache(maxsize=8)
def _object_store(config: S3Config, scratch_root: Path) -> Store:
    from imagery.store.s3 import S3Store

    return S3Store(config, scratch_root)


def store_message(exc: StoreUnavailable, lang: str = "zh") -> str:
    """What is wrong with the store, for people: which setting to look at, and why."""
    return t(f"store.problem.{exc.problem}", lang, **exc.facts)
