"""The store in S3-compatible object storage (MinIO, Huawei OBS, Alibaba OSS, Ceph RGW,
SeaweedFS, AWS S3): one object per stored file under `prefix/`, path-style addressing.

A PUT that returned is durable and whole, so no temporary names are needed; batches upload
their staged work files from the local scratch folder on commit. boto3 is imported on first
use (command-line start-up stays fast)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar
from urllib.parse import urlsplit

from imagery.errors import StoreUnavailable
from imagery.store.base import TREES, Opened, RemoteRaster, Store, StoredObject, object_name
from imagery.store.io_threads import overlapped

if TYPE_CHECKING:
    from imagery.store.staging import Staged

T = TypeVar("T")
MULTIPART_FROM = 64 * 1024 * 1024
MULTIPART_PART = 16 * 1024 * 1024
MISSING = ("404", "NoSuchKey", "NotFound")
NO_BUCKET = ("NoSuchBucket",)
REFUSED = ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
           "InvalidToken", "ExpiredToken", "AuthorizationHeaderMalformed")


@dataclass(frozen=True)
class S3Config:
    """Where the bucket is and how to reach it: `endpoint` is the service's URL
    (http://host:port or https://host; None: AWS itself), the keys None for the usual AWS
    chain (environment, instance role)."""

    bucket: str
    prefix: str = ""
    endpoint: str | None = None
    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)
    region: str = "us-east-1"

    @property
    def url(self) -> str:
        """s3://bucket/prefix, for people."""
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")


_CLIENTS: dict[tuple[S3Config, int], Any] = {}
_CLIENTS_LOCK = threading.Lock()


def _client_of(config: S3Config) -> Any:  # noqa: ANN401 (boto3's client has no static type)
    """The process's client for a configuration, made once: threads asking meanwhile wait
    for it rather than each making one (making one parses botocore's service models, about
    0.15 core-seconds, far more when a burst of uploads' threads contend for the
    interpreter, and botocore does not promise that clients may be made in parallel)."""
    key = (config, os.getpid())
    found = _CLIENTS.get(key)
    if found is not None:
        return found
    with _CLIENTS_LOCK:
        found = _CLIENTS.get(key)
        if found is None:
            found = _CLIENTS[key] = _new_client(config)
        return found


def _new_client(config: S3Config) -> Any:  # noqa: ANN401 (boto3's client has no static type)
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=config.endpoint, region_name=config.region,
        aws_access_key_id=config.access_key, aws_secret_access_key=config.secret_key,
        config=Config(s3={"addressing_style": "path"}, connect_timeout=5, read_timeout=60,
                      retries={"max_attempts": 3, "mode": "standard"},
                      max_pool_connections=16))


def preload_models() -> None:
    """Parse botocore's S3 models into boto3's default session, which every client later
    made in this process, or in a process forked from it, is made from (the second client
    of a session costs a twentieth of the first). No credentials are looked up, no request
    is sent: the throwaway client names its own keys and endpoint."""
    import boto3

    boto3.client("s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                 aws_access_key_id="preload", aws_secret_access_key="preload")


class S3Store(Store):
    """Stored files as objects in a bucket; work files in a local scratch folder."""

    def __init__(self, config: S3Config, scratch_root: Path) -> None:
        self.config = config
        self.scratch_root = Path(scratch_root)
        self._client: Any = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its client (worker processes make their own)."""
        return {**self.__dict__, "_client": None}

    def describe(self) -> str:
        """s3://bucket/prefix."""
        return self.config.url

    def warm(self) -> None:
        """Make the process's client (boto3 imported, botocore's models parsed); no
        request is sent."""
        _ = self.client

    @property
    def client(self) -> Any:  # noqa: ANN401 (boto3's client has no static type)
        """The boto3 S3 client: one per configuration and process (a forked worker makes
        its own; clients are safe to share between threads)."""
        if self._client is None:
            self._client = _client_of(self.config)
        return self._client

    def key(self, name: str) -> str:
        """The object key of a stored file's name."""
        prefix = self.config.prefix.strip("/")
        return f"{prefix}/{name}" if prefix else name

    def _name(self, key: str) -> str:
        prefix = self.config.prefix.strip("/")
        return key[len(prefix) + 1:] if prefix else key

    def _call(self, action: Callable[[], T]) -> T:
        """Run a request, turning what goes wrong into StoreUnavailable (naming the setting
        to look at); a missing object stays botocore's ClientError for the caller."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return action()
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in MISSING:
                raise
            raise self._refused(code, exc) from exc
        except BotoCoreError as exc:
            raise self._unreachable(exc) from exc

    def _refused(self, code: str, exc: Exception) -> StoreUnavailable:
        url = self.config.url
        if code in NO_BUCKET:
            return StoreUnavailable("no_bucket", f"{url}: the bucket does not exist",
                                    store=url, bucket=self.config.bucket)
        if code in REFUSED:
            return StoreUnavailable("credentials", f"{url}: the keys are refused ({code})",
                                    store=url, code=code)
        return StoreUnavailable("refused", f"{url}: the store refused the request ({exc})",
                                store=url, code=code, reason=str(exc))

    def _unreachable(self, exc: Exception) -> StoreUnavailable:
        from botocore.exceptions import NoCredentialsError

        url = self.config.url
        if isinstance(exc, NoCredentialsError):
            return StoreUnavailable("no_credentials", f"{url}: no access key is set",
                                    store=url)
        endpoint = self.config.endpoint or "AWS S3"
        return StoreUnavailable("unreachable", f"{url}: cannot reach {endpoint} ({exc})",
                                store=url, endpoint=endpoint, reason=str(exc))

    def check(self) -> None:
        """Raise StoreUnavailable unless the bucket answers to our keys."""
        from botocore.exceptions import ClientError

        try:
            self._call(lambda: self.client.head_bucket(Bucket=self.config.bucket))
        except ClientError as exc:  # HEAD has no body: a 404 is the bucket's
            raise self._refused(NO_BUCKET[0], exc) from exc

    def _head(self, name: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            return self._call(lambda: self.client.head_object(
                Bucket=self.config.bucket, Key=self.key(name)))
        except ClientError:
            return None

    def has(self, sha256: str, variant: str = "original") -> bool:
        """Whether that object is there."""
        return self._head(object_name(sha256, variant)) is not None

    def put(self, sha256: str, data: bytes, variant: str = "original") -> None:
        """Upload bytes under their name unless stored already."""
        if self.touch(sha256, variant):
            return
        self._put_object(object_name(sha256, variant), data)

    def _put_object(self, name: str, body: bytes | BinaryIO) -> None:
        """One PUT request: bytes, or a file below MULTIPART_FROM."""
        self._call(lambda: self.client.put_object(Bucket=self.config.bucket,
                                                  Key=self.key(name), Body=body))

    def put_path(self, sha256: str, source: Path, variant: str = "original") -> None:
        """Upload a local file (in parts when large) unless stored already."""
        if self.touch(sha256, variant):
            return
        self._upload(source, object_name(sha256, variant))

    def _upload(self, source: Path, name: str) -> None:
        """Upload a file: one request below MULTIPART_FROM (a photo, a thumbnail: boto3's
        transfer manager costs more than the request itself), in parts from there."""
        from boto3.exceptions import S3UploadFailedError
        from boto3.s3.transfer import TransferConfig
        from botocore.exceptions import ClientError

        if source.stat().st_size < MULTIPART_FROM:
            with source.open("rb") as body:
                self._put_object(name, body)
            return
        transfer = TransferConfig(multipart_threshold=MULTIPART_FROM,
                                  multipart_chunksize=MULTIPART_PART, use_threads=False)
        try:
            self._call(lambda: self.client.upload_file(str(source), self.config.bucket,
                                                       self.key(name), Config=transfer))
        except S3UploadFailedError as exc:  # boto3 wraps the request's own error
            cause = exc.__context__
            if isinstance(cause, ClientError):
                code = str(cause.response.get("Error", {}).get("Code", ""))
                raise self._refused(code, cause) from exc
            raise self._unreachable(exc) from exc

    def put_file(self, sha256: str, source: Path, variant: str) -> None:
        """Upload a finished work file, then remove it."""
        try:
            self.put_path(sha256, source, variant)
        finally:
            source.unlink(missing_ok=True)

    def read(self, sha256: str, variant: str = "original") -> bytes:
        """The object's bytes."""
        with self.open(sha256, variant).file as body:
            return body.read()

    def open(self, sha256: str, variant: str = "original") -> Opened:
        """The object's body, streamed as it is read; FileNotFoundError when missing."""
        from botocore.exceptions import ClientError

        name = object_name(sha256, variant)
        try:
            answer = self._call(lambda: self.client.get_object(
                Bucket=self.config.bucket, Key=self.key(name)))
        except ClientError as exc:
            raise FileNotFoundError(f"{self.describe()}/{name}") from exc
        return Opened(answer["Body"], int(answer["ContentLength"]))

    def raster(self, sha256: str, variant: str = "cog.tif") -> RemoteRaster:
        """The object as GDAL reads it: /vsis3/bucket/key, with ranged requests."""
        name = object_name(sha256, variant)
        return RemoteRaster(f"/vsis3/{self.config.bucket}/{self.key(name)}",
                            name.rsplit("/", 1)[-1], tuple(self.gdal_options().items()),
                            self.describe(), self.config.endpoint or "AWS S3",
                            self.config.access_key, self.config.secret_key)

    def gdal_options(self) -> dict[str, str]:
        """GDAL's settings for this store: endpoint, https or not, path-style, region (the
        keys go through rasterio's AWS session)."""
        options = {"AWS_VIRTUAL_HOSTING": "FALSE", "AWS_REGION": self.config.region}
        if self.config.endpoint:
            parts = urlsplit(self.config.endpoint)
            options["AWS_S3_ENDPOINT"] = parts.netloc + parts.path.rstrip("/")
            options["AWS_HTTPS"] = "YES" if parts.scheme == "https" else "NO"
        return options

    def touch(self, sha256: str, variant: str = "original") -> bool:
        """Copy the object onto itself (a new modification time), if it is there."""
        from botocore.exceptions import ClientError

        key = self.key(object_name(sha256, variant))
        try:
            self._call(lambda: self.client.copy_object(
                Bucket=self.config.bucket, Key=key, MetadataDirective="REPLACE",
                CopySource={"Bucket": self.config.bucket, "Key": key},
                Metadata={"touched": str(int(time.time()))}))
        except ClientError:
            return False
        return True

    def commit_staged(self, staged: list[Staged]) -> None:
        """Upload every staged file (on threads), removing each once stored. A file is
        staged only when its object was not there (`stage` looked): no second look."""
        def upload(item: Staged) -> None:
            try:
                self._upload(item.scratch, object_name(item.sha256, item.variant))
            finally:
                item.scratch.unlink(missing_ok=True)

        overlapped(upload, staged)

    def listing(self) -> Iterator[StoredObject]:
        """Every object under originals/ and derived/."""
        pages = self.client.get_paginator("list_objects_v2")
        for tree in TREES:
            iterator = iter(pages.paginate(Bucket=self.config.bucket,
                                           Prefix=self.key(f"{tree}/")))
            while (page := self._call(lambda it=iterator: next(it, None))) is not None:
                for item in page.get("Contents", []):
                    yield StoredObject(self._name(item["Key"]), int(item["Size"]),
                                       item["LastModified"].timestamp())

    def stat(self, name: str) -> StoredObject | None:
        """An object's size and last change, or None."""
        head = self._head(name)
        if head is None:
            return None
        return StoredObject(name, int(head["ContentLength"]), head["LastModified"].timestamp())

    def delete(self, name: str) -> None:
        """Remove an object (gone already is fine)."""
        self._call(lambda: self.client.delete_object(Bucket=self.config.bucket,
                                                     Key=self.key(name)))
