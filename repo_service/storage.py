"""Object storage behind a small interface, speaking plain S3 through the ``minio`` SDK.

Buckets are named ``<prefix><role>`` (originals, media); the same code runs against the bundled
server, MinIO, SeaweedFS, Ceph RGW or a cloud bucket by configuration alone.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, BinaryIO, cast
from xml.sax.saxutils import escape

import urllib3
from minio import Minio
from minio.datatypes import Part
from minio.error import S3Error

BUCKET_ROLES = ("originals", "media")
# What S3 servers answer for an object that is not there (the names differ between servers).
MISSING_OBJECT = frozenset({"NoSuchKey", "NoSuchObject", "NotFound"})


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    key: str
    size: int
    etag: str
    content_type: str | None


class ObjectStorage:
    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        *,
        secure: bool = False,
        region: str = "us-east-1",
        bucket_prefix: str = "zx-",
        timeout: float = 30.0,
        public_endpoint: str | None = None,
        public_secure: bool | None = None,
        upload_origins: list[str] | None = None,
    ) -> None:
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5.0, read=timeout),
            maxsize=16,
            retries=urllib3.Retry(total=3, backoff_factor=0.2, status_forcelist=[502, 503, 504]),
        )
        self.endpoint = endpoint
        self.bucket_prefix = bucket_prefix
        self.upload_origins = upload_origins or []
        self.client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )
        # URLs handed to browsers are signed for the address browsers reach the store at (the
        # host is part of the signature). With the region given, minio signs locally and this
        # client never opens a connection.
        self.public_endpoint = public_endpoint or endpoint
        self.signer = Minio(
            self.public_endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure if public_secure is None else public_secure,
            region=region,
        )

    def bucket(self, role: str) -> str:
        if role not in BUCKET_ROLES:
            raise ValueError(f"unknown bucket role {role!r}")
        return f"{self.bucket_prefix}{role}"

    def ensure_buckets(self) -> None:
        """Create the buckets; when browsers upload straight to the store, allow their PUTs."""
        for role in BUCKET_ROLES:
            name = self.bucket(role)
            if not self.client.bucket_exists(name):
                try:
                    self.client.make_bucket(name)
                except S3Error as exc:  # another process created it first
                    if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                        raise
        if self.upload_origins:
            self.allow_browser_uploads("originals", self.upload_origins)

    def allow_browser_reads(self, role: str, origins: list[str]) -> None:
        """Let browsers on ``origins`` GET objects of this bucket (HLS segments via hls.js).

        Reads still need a valid presigned signature; CORS only lets the page see the bytes.
        """
        self.set_cors(role, origins, ["GET", "HEAD"], expose=[])

    def allow_browser_uploads(self, role: str, origins: list[str]) -> None:
        """Let pages on ``origins`` PUT upload parts to presigned URLs and read their ETag.

        Every PUT still needs a presigned signature issued by the service for one part of one
        open upload; CORS only lets the page send it and see the part's ETag.
        """
        self.set_cors(role, origins, ["PUT", "GET", "HEAD"], expose=["ETag"])

    def set_cors(
        self, role: str, origins: list[str], methods: list[str], expose: list[str]
    ) -> None:
        """Replace the bucket's CORS rules with one rule (a plain S3 PutBucketCors request).

        The minio SDK has no CORS call, so the request is sent through its signed executor.
        """
        rule = "".join(f"<AllowedOrigin>{escape(o)}</AllowedOrigin>" for o in origins)
        rule += "".join(f"<AllowedMethod>{m}</AllowedMethod>" for m in methods)
        rule += "<AllowedHeader>*</AllowedHeader>"
        rule += "".join(f"<ExposeHeader>{escape(h)}</ExposeHeader>" for h in expose)
        body = (
            f"<CORSConfiguration><CORSRule>{rule}<MaxAgeSeconds>3600</MaxAgeSeconds>"
            "</CORSRule></CORSConfiguration>"
        ).encode()
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()  # noqa: S324 - S3 requires MD5
        self.client._execute(  # noqa: SLF001
            "PUT",
            self.bucket(role),
            body=body,
            headers={"Content-MD5": md5},
            query_params={"cors": ""},
        )

    def ping(self) -> None:
        """Raise unless the store answers and the originals bucket exists."""
        if not self.client.bucket_exists(self.bucket("originals")):
            raise RuntimeError(f"bucket {self.bucket('originals')} is missing")

    # --- whole objects -------------------------------------------------------------------

    def put(
        self,
        role: str,
        key: str,
        data: IO[bytes] | bytes,
        length: int = -1,
        content_type: str = "application/octet-stream",
        part_size: int = 16 * 1024 * 1024,
    ) -> StoredObject:
        stream = cast(BinaryIO, io.BytesIO(data) if isinstance(data, bytes) else data)
        if isinstance(data, bytes):
            length = len(data)
        result = self.client.put_object(
            self.bucket(role), key, stream, length, content_type=content_type, part_size=part_size
        )
        size = length if length >= 0 else self.stat(role, key).size
        return StoredObject(self.bucket(role), key, size, result.etag or "", content_type)

    def put_file(self, role: str, key: str, path: str, content_type: str) -> None:
        self.client.fput_object(self.bucket(role), key, path, content_type=content_type)

    def get_bytes(self, role: str, key: str) -> bytes:
        response = self.client.get_object(self.bucket(role), key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def iter_chunks(self, role: str, key: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        response = self.client.get_object(self.bucket(role), key)
        try:
            yield from response.stream(chunk_size)
        finally:
            response.close()
            response.release_conn()

    def read_range(self, role: str, key: str, offset: int, length: int) -> bytes:
        """Bytes ``offset`` … ``offset + length`` of an object (fewer at its end)."""
        response = self.client.get_object(self.bucket(role), key, offset=offset, length=length)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def download(self, role: str, key: str, path: str) -> None:
        self.client.fget_object(self.bucket(role), key, path)

    def stat(self, role: str, key: str) -> StoredObject:
        st = self.client.stat_object(self.bucket(role), key)
        return StoredObject(
            self.bucket(role), key, int(st.size or 0), str(st.etag), st.content_type
        )

    def exists(self, role: str, key: str) -> bool:
        try:
            self.client.stat_object(self.bucket(role), key)
        except S3Error as exc:
            if exc.code in MISSING_OBJECT:
                return False
            raise
        return True

    def delete(self, role: str, key: str) -> None:
        self.client.remove_object(self.bucket(role), key)

    def delete_prefix(self, role: str, prefix: str) -> int:
        count = 0
        for obj in self.client.list_objects(self.bucket(role), prefix=prefix, recursive=True):
            if obj.object_name:
                self.client.remove_object(self.bucket(role), obj.object_name)
                count += 1
        return count

    def presigned_get(
        self,
        role: str,
        key: str,
        *,
        seconds: int = 300,
        download_name: str | None = None,
        content_type: str | None = None,
        inline: bool = False,
    ) -> str:
        params: dict[str, Any] = {}
        if download_name is not None:
            params["response-content-disposition"] = content_disposition(
                download_name, inline=inline
            )
        if content_type is not None:
            params["response-content-type"] = content_type
        return self.signer.presigned_get_object(
            self.bucket(role),
            key,
            expires=dt.timedelta(seconds=seconds),
            response_headers=params or None,
        )

    # --- multipart uploads ----------------------------------------------------------------

    def multipart_start(self, role: str, key: str, content_type: str) -> str:
        return self.client._create_multipart_upload(  # noqa: SLF001 - the SDK's only multipart API
            self.bucket(role), key, {"Content-Type": content_type}
        )

    def multipart_put_part(
        self, role: str, key: str, upload_id: str, part_number: int, data: bytes | bytearray
    ) -> str:
        # Any buffer works (urllib3 sends it as is), so a received chunk is not copied again.
        body = cast(bytes, data)
        return self.client._upload_part(  # noqa: SLF001
            self.bucket(role), key, body, None, upload_id, part_number
        )

    def presigned_part_url(
        self, role: str, key: str, upload_id: str, part_number: int, *, seconds: int
    ) -> str:
        """A URL a browser may PUT one part to, signed for the store's public address."""
        return self.signer.get_presigned_url(
            "PUT",
            self.bucket(role),
            key,
            expires=dt.timedelta(seconds=seconds),
            extra_query_params={"uploadId": upload_id, "partNumber": str(part_number)},
        )

    def multipart_parts(self, role: str, key: str, upload_id: str) -> list[Part]:
        parts: list[Part] = []
        marker = 0
        while True:
            result = self.client._list_parts(  # noqa: SLF001
                self.bucket(role), key, upload_id, max_parts=1000, part_number_marker=str(marker)
            )
            parts.extend(result.parts)
            if not result.is_truncated:
                return parts
            marker = int(result.next_part_number_marker or 0)

    def multipart_complete(
        self, role: str, key: str, upload_id: str, parts: list[tuple[int, str]]
    ) -> None:
        self.client._complete_multipart_upload(  # noqa: SLF001
            self.bucket(role), key, upload_id, [Part(n, etag) for n, etag in sorted(parts)]
        )

    def multipart_abort(self, role: str, key: str, upload_id: str) -> None:
        try:
            self.client._abort_multipart_upload(self.bucket(role), key, upload_id)  # noqa: SLF001
        except S3Error as exc:
            if exc.code != "NoSuchUpload":  # already gone: aborting again is a no-op
                raise


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 header value: an ASCII fallback plus the UTF-8 name for modern clients."""
    from urllib.parse import quote

    ascii_name = (
        "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in filename)
        or "download"
    )
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def init_storage(config: dict[str, Any]) -> ObjectStorage:
    return ObjectStorage(
        config["S3_ENDPOINT"],
        config["S3_ACCESS_KEY"],
        config["S3_SECRET_KEY"],
        secure=config["S3_SECURE"],
        region=config["S3_REGION"],
        bucket_prefix=config["S3_BUCKET_PREFIX"],
        public_endpoint=config.get("S3_PUBLIC_ENDPOINT"),
        public_secure=config.get("S3_PUBLIC_SECURE"),
        upload_origins=config["S3_CORS_ORIGINS"] if config.get("UPLOAD_DIRECT") else [],
    )


class RangeReader(io.RawIOBase):
    """A read-only, seekable view of a stored object through ranged GETs (for zipfile)."""

    def __init__(self, storage: ObjectStorage, role: str, key: str, size: int) -> None:
        self.storage, self.role, self.key, self.size = storage, role, key, size
        self.pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self.size - self.pos)
        if want <= 0:
            return 0
        response = self.storage.client.get_object(
            self.storage.bucket(self.role), self.key, offset=self.pos, length=want
        )
        try:
            data = response.read()
        finally:
            response.close()
            response.release_conn()
        buffer[: len(data)] = data
        self.pos += len(data)
        return len(data)
