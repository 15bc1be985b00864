"""Settings from the environment (LOOKBACK_ prefix); the only place that reads it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    Field,
    PositiveFloat,
    PositiveInt,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from inspections.clock import DEFAULT_TIMEZONE
from web.client_address import parse_proxies
from web.store_url import check_endpoint, parse_store_url

REPO_DIR = Path(__file__).resolve().parent.parent


def _zone_name(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise ValueError(f"LOOKBACK_TIMEZONE {name!r}: not a time zone; give an IANA name "
                         "such as Asia/Shanghai") from None
    return name


ZoneName = Annotated[str, AfterValidator(_zone_name)]


class Settings(BaseSettings):
    """Where the database and files live, and what the app shows."""

    model_config = SettingsConfigDict(env_prefix="LOOKBACK_")

    database_url: str = "sqlite:///var/lookback.db"
    data_dir: Path = Path("var/data")
    demo_dir: Path = REPO_DIR / "data" / "district"
    basemap_url: str | None = None
    basemap_crs: Literal["wgs84", "gcj02"] = "wgs84"  # gcj02: AMap/Gaode, Tencent basemaps
    basemap_attribution: str | None = None  # shown on the map for basemap_url (None: its host)
    # Tianditu (天地图): with a key (a browser key from console.tianditu.gov.cn) the map offers
    # its vector and imagery maps with their annotations, in CGCS2000 (no GCJ-02 shift).
    tianditu_key: str | None = None

    @model_validator(mode="after")
    def _check_tianditu(self) -> Settings:
        if self.tianditu_key and self.basemap_crs == "gcj02":
            raise ValueError("LOOKBACK_TIANDITU_KEY: Tianditu is in CGCS2000, not GCJ-02; "
                             "it cannot be shown with LOOKBACK_BASEMAP_CRS=gcj02")
        return self
    # The clock (web/clock.py): the district's zone, in which dates are dates and photo times
    # without an offset are read; LOOKBACK_NOW freezes the time, "real" runs on the real time
    # even on a demo database (None: the demo's remembered time there, else the real time).
    timezone: ZoneName = DEFAULT_TIMEZONE
    now: datetime | Literal["real"] | None = None
    secure_cookies: bool = False  # set when served over HTTPS: cookies only go over HTTPS
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or CIDR networks).
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        parse_proxies(value)
        return value

    # The closure report (销号评估报告): its contact when neither the task nor the case names
    # one (each field alone; the command line and the API may give their own), and its
    # sign-off's issuing body (落款), the district's party committee and government.
    report_contact_person: str = "区生态环境保护督察整改工作协调小组办公室"
    report_contact_phone: str | None = None
    report_contact_email: str | None = None
    report_issuer: str = "中共台州市椒江区委 台州市椒江区人民政府"

    # --- the audit chain (issue 11): its key and its anchors live outside the database ---
    audit_key_file: Path | None = None  # HMAC key, mode 0600; None: data_dir/audit.key
    audit_anchor_file: Path | None = None  # chain heads, JSON Lines; None: data_dir/audit.anchor
    language: Literal["zh", "en"] = "zh"  # of the command line's messages for people
    # Argon2id's cost for new password hashes (a hash keeps its own: old ones still verify).
    # The defaults are pwdlib's recommended; lower only where no real password lives (tests).
    argon2_memory_kib: Annotated[int, Field(ge=8)] = 65_536
    argon2_time_cost: PositiveInt = 3

    # Uploads and the file store: refused past these (413 for the bytes, 422 for the pixels,
    # read from the file's header), and analysed by this many processes at once.
    max_upload_bytes: PositiveInt = 200 * 1024 * 1024
    max_photo_pixels: PositiveInt = 100_000_000
    max_ortho_pixels: PositiveInt = 4_000_000_000
    upload_workers: PositiveInt = 2
    # A finished job's result file (a report) is kept this many days, then the daily tick
    # removes it (the tasks page then says so).
    job_result_days: PositiveInt = 30
    # The upload page keeps basemap tiles of a grid officer's own cells on the device for work
    # with no signal, at most this many MB (the oldest dropped first); 0: none kept.
    offline_tile_mb: Annotated[float, Field(ge=0, le=1024)] = 20.0
    # Change detection between look-back rounds' orthophotos: smaller polygons are dropped.
    change_min_area_m2: PositiveFloat = 25.0
    # Resumable (tus) uploads: files over 20 MB from the pages, drone flights, orthophotos of
    # several GB; refused (413) past this size, declared when the upload is created.
    max_resumable_bytes: PositiveInt = 20 * 1024 * 1024 * 1024

    # The file store (web/store.py): None keeps it in data_dir; s3://bucket/prefix puts it in
    # S3-compatible object storage at store_endpoint (http(s)://host:port; None: AWS), with
    # these keys (None: the usual AWS chain) and region. Work files stay in data_dir.
    store_url: str | None = None
    store_endpoint: str | None = None
    store_access_key: str | None = None
    store_secret_key: SecretStr | None = None
    store_region: str = "us-east-1"

    @field_validator("store_url")
    @classmethod
    def _check_store_url(cls, value: str | None) -> str | None:
        if value:
            parse_store_url(value)
        return value

    @field_validator("store_endpoint")
    @classmethod
    def _check_store_endpoint(cls, value: str | None) -> str | None:
        if value:
            check_endpoint(value)
        return value

    # Jobs (web/jobs): "auto" runs them through procrastinate on PostgreSQL and in the local
    # worker pool on SQLite; job_workers processes at once per runner; a running job's lease
    # (renewed while it runs) lapses after job_lease_seconds, when another worker may take
    # it; a failed attempt waits job_retry_seconds, doubled each time; job_modules: more
    # modules (comma-separated) that register job kinds.
    job_runner: Literal["auto", "local", "procrastinate"] = "auto"
    job_workers: PositiveInt = 2
    job_poll_seconds: PositiveFloat = 1.0
    job_lease_seconds: PositiveFloat = 60.0
    job_retry_seconds: PositiveFloat = 30.0
    job_modules: str = ""

    @model_validator(mode="after")
    def _check_runner(self) -> Settings:
        if self.job_runner == "procrastinate" and self.database_url.startswith("sqlite"):
            raise ValueError("LOOKBACK_JOB_RUNNER=procrastinate: procrastinate needs "
                             "PostgreSQL; on SQLite jobs run in the local pool (auto or local)")
        return self

    @property
    def uses_procrastinate(self) -> bool:
        """Whether jobs go through procrastinate (PostgreSQL) rather than the local pool."""
        if self.job_runner == "auto":
            return not self.database_url.startswith("sqlite")
        return self.job_runner == "procrastinate"

    @property
    def audit_key_path(self) -> Path:
        """Where the audit key is kept (made by `lookback init` when missing)."""
        return self.audit_key_file or self.data_dir / "audit.key"

    @property
    def audit_anchor_path(self) -> Path:
        """The append-only file the audit chain's head is written to."""
        return self.audit_anchor_file or self.data_dir / "audit.anchor"
