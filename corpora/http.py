"""Fetching over HTTP for the OParl client: JSON pages and file downloads, within limits.

Everything the network may do wrong is handled here, once: retries with exponential backoff
(5xx, 429, connection errors, timeouts, broken JSON), size limits counted while streaming (a
``Content-Length`` header is checked but never trusted alone), redirects followed by hand so that
each hop passes the host policy, and content-addressed downloads. Failures raise
:class:`~corpora.errors.FetchError` with a short ``reason``; the reader turns them into events.

The host policy guards against a server that points us elsewhere (server-side request forgery):
JSON pages (lists, ``next`` links, objects) come only from the source's own origin (scheme, host
and port of the start URL); downloads come from that origin, from loopback or private addresses
only when ``allow_private_hosts`` is set, and from other public hosts only when named in
``extra_hosts`` (which then also serve pages, if they resolve to public addresses).
"""

from __future__ import annotations

import email.utils
import hashlib
import ipaddress
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urljoin, urlsplit

from corpora import json_input
from corpora.errors import FetchError
from corpora.settings import Settings

log = logging.getLogger(__name__)

_CHUNK = 64 * 1024
_MAX_REDIRECTS = 5
_MAX_RETRY_AFTER = 60.0
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_USER_AGENT = "Ratsuche-OParl-Client/0.1 (+https://oparl.org)"

#: file suffix of a downloaded blob by mime type (the mime types we can extract text from)
EXTRACTABLE_SUFFIXES = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
}


# --- origins and the host policy ---------------------------------------------------------------

@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def origin_of(url: str) -> Origin:
    """Scheme, lower-cased host and effective port of a URL; FetchError for anything but http(s)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"{url}: not an http(s) URL", reason="bad_url")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"{url}: bad port", reason="bad_url") from exc
    return Origin(scheme, parts.hostname.lower().rstrip("."), port)


_SHARED_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not "private" to ipaddress


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified or ip in _SHARED_SPACE)


def host_is_private(host: str, port: int,
                    resolve: Callable[[str, int], Iterable[str]] | None = None) -> bool | None:
    """True when ``host`` is, or resolves to, a loopback, private, link-local or reserved address;
    None when the name does not resolve (it cannot be checked, so no rule lets it through)."""
    try:
        return _is_private(host.strip("[]"))
    except ValueError:
        pass
    if resolve is None:
        def resolve(h: str, p: int) -> list[str]:
            return [info[4][0] for info in socket.getaddrinfo(h, p, proto=socket.IPPROTO_TCP)]
    try:
        addresses = list(resolve(host, port))
    except OSError:
        return None
    if not addresses:
        return None
    return any(_is_private(a) for a in addresses)


class HostPolicy:
    """Which URLs the client may request: see the module docstring."""

    def __init__(self, start_url: str, *, allow_private_hosts: bool = False,
                 extra_hosts: Iterable[str] = (),
                 resolve: Callable[[str, int], Iterable[str]] | None = None) -> None:
        self.own = origin_of(start_url)
        self.allow_private_hosts = allow_private_hosts
        self.extra_hosts = frozenset(h.lower() for h in extra_hosts)
        self._resolve = resolve

    def is_own(self, url: str) -> bool:
        origin = origin_of(url)
        if origin == self.own:
            return True
        # The same host upgraded from http to https on the default port (a common redirect).
        return (self.own.scheme == "http" and self.own.port == 80 and origin.scheme == "https"
                and origin.port == 443 and origin.host == self.own.host)

    def check_page(self, url: str) -> None:
        """JSON pages (lists, objects, ``next`` links) only from the source's own origin."""
        if self.is_own(url):
            return
        origin = origin_of(url)
        if origin.host in self.extra_hosts and self._passes_address_check(origin):
            return
        raise FetchError(f"{url}: refused, not the source's own host {self.own}", reason="refused_host")

    def _passes_address_check(self, origin: Origin) -> bool:
        private = host_is_private(origin.host, origin.port, self._resolve)
        return private is False or (private is True and self.allow_private_hosts)

    def check_download(self, url: str) -> None:
        """Files from the source's origin; loopback/private hosts only with ``allow_private_hosts``;
        other public hosts only when named in ``extra_hosts``."""
        if self.is_own(url):
            return
        origin = origin_of(url)
        if origin.host in self.extra_hosts:
            if self._passes_address_check(origin):
                return
        elif self.allow_private_hosts and host_is_private(origin.host, origin.port, self._resolve) is True:
            return
        raise FetchError(f"{url}: refused, downloads come only from the source's own host {self.own} "
                         "(loopback and private addresses need allow_private_hosts)", reason="refused_host")


# --- results -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class JsonPage:
    url: str
    data: Any
    #: the server's clock at the answer (its ``Date`` header), else ours; ISO 8601, UTC, whole seconds
    server_time: str


@dataclass(frozen=True)
class Download:
    path: Path
    sha256: str
    size: int
    content_type: str | None


def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _server_time(headers: Any) -> str:
    raw = headers.get("Date") if headers is not None else None
    if raw:
        try:
            when = email.utils.parsedate_to_datetime(raw)
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return when.astimezone(timezone.utc).replace(microsecond=0).isoformat()
        except (TypeError, ValueError):
            pass
    return _now_iso()


class _Transient(Exception):
    """A failure worth another try (5xx, 429, connection trouble, timeouts, broken JSON)."""

    def __init__(self, reason: str, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.retry_after = retry_after


def retry_delay(attempt: int, backoff: float, retry_after: float | None = None) -> float:
    """Seconds to wait before retry ``attempt + 1``: ``backoff`` doubled per attempt, at least what
    the server asked for in ``Retry-After`` (capped at a minute)."""
    delay = backoff * (2 ** attempt)
    if retry_after is not None:
        delay = max(delay, min(retry_after, _MAX_RETRY_AFTER))
    return delay


def _retry_after(headers: Any) -> float | None:
    raw = headers.get("Retry-After") if headers is not None else None
    if not raw:
        return None
    try:
        return min(max(float(raw), 0.0), _MAX_RETRY_AFTER)
    except ValueError:
        return None


# --- the fetcher --------------------------------------------------------------------------------

class HttpFetcher:
    """One ``requests.Session`` with the limits of :class:`~corpora.settings.Settings`."""

    def __init__(self, settings: Settings, policy: HostPolicy,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        import requests

        self.settings = settings
        self.policy = policy
        self._sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = _USER_AGENT
        self.session.trust_env = False  # no proxies or netrc from the environment: settings only
        #: requests made (every attempt and redirect hop), for logs and tests
        self.requests = 0

    def close(self) -> None:
        self.session.close()

    # The retry loop shared by pages and downloads.
    def _with_retries(self, url: str, attempt_once: Callable[[], Any]) -> Any:
        retries = max(self.settings.http_retries, 0)
        last: _Transient | None = None
        for attempt in range(retries + 1):
            try:
                return attempt_once()
            except _Transient as exc:
                last = exc
                if attempt == retries:
                    break
                delay = retry_delay(attempt, self.settings.http_backoff, exc.retry_after)
                log.info("%s: %s (%s); retry %d of %d in %.2fs", url, exc.reason, exc, attempt + 1, retries, delay)
                self._sleep(delay)
        assert last is not None
        raise FetchError(f"{url}: {last} (after {retries + 1} attempts)", reason=last.reason)

    def _open(self, url: str, check: Callable[[str], None], accept: str) -> Any:
        """GET with redirects followed by hand (each hop checked); a streaming response with a 2xx
        status. Raises _Transient for retryable trouble, FetchError for the rest."""
        import requests

        current = url
        for _ in range(_MAX_REDIRECTS + 1):
            check(current)
            self.requests += 1
            try:
                resp = self.session.get(current, stream=True, allow_redirects=False,
                                        timeout=(self.settings.http_timeout, self.settings.http_timeout),
                                        headers={"Accept": accept})
            except requests.Timeout as exc:
                raise _Transient("timeout", f"timed out after {self.settings.http_timeout}s") from exc
            except requests.ConnectionError as exc:
                raise _Transient("connection_error", f"connection failed ({type(exc).__name__})") from exc
            except requests.RequestException as exc:
                raise FetchError(f"{current}: {exc}", reason="fetch_failed") from exc
            if resp.is_redirect:
                location = resp.headers.get("Location")
                resp.close()
                if not location:
                    raise FetchError(f"{current}: redirect without Location", reason="bad_redirect")
                current = urljoin(current, location)
                continue
            if resp.status_code in _RETRY_STATUS:
                retry_after = _retry_after(resp.headers)
                resp.close()
                raise _Transient(f"http_{resp.status_code}", f"HTTP {resp.status_code}", retry_after)
            if not 200 <= resp.status_code < 300:
                resp.close()
                raise FetchError(f"{current}: HTTP {resp.status_code}", reason=f"http_{resp.status_code}")
            return resp
        raise FetchError(f"{url}: more than {_MAX_REDIRECTS} redirects", reason="bad_redirect")

    @staticmethod
    def _declared_length(resp: Any) -> int | None:
        try:
            return int(resp.headers.get("Content-Length"))
        except (TypeError, ValueError):
            return None

    def _iter_body(self, resp: Any, limit: int, url: str) -> Iterable[bytes]:
        """The body in chunks (decoded from gzip), refused as soon as it passes ``limit`` bytes."""
        import requests

        declared = self._declared_length(resp)
        if declared is not None and declared > limit:
            resp.close()
            raise FetchError(f"{url}: {declared} bytes announced, the limit is {limit}", reason="too_large")
        seen = 0
        complete = False
        try:
            for chunk in resp.iter_content(_CHUNK):
                seen += len(chunk)
                if seen > limit:
                    raise FetchError(f"{url}: more than {limit} bytes", reason="too_large")
                yield chunk
            complete = True
        except requests.Timeout as exc:
            raise _Transient("timeout", f"timed out reading after {self.settings.http_timeout}s") from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Transient("connection_error", f"connection broken while reading ({type(exc).__name__})") from exc
        except requests.RequestException as exc:
            raise FetchError(f"{url}: unreadable answer ({type(exc).__name__})", reason="fetch_failed") from exc
        finally:
            if not complete:  # a body read to its end gives its connection back to the pool by itself
                resp.close()

    def get_json(self, url: str) -> JsonPage:
        """A JSON object or list from ``url`` (OParl page or object), retried as needed."""
        def once() -> JsonPage:
            resp = self._open(url, self.policy.check_page, "application/json")
            server_time = _server_time(resp.headers)
            body = b"".join(self._iter_body(resp, self.settings.max_page_bytes, url))
            try:
                data = json_input.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise _Transient("invalid_json", f"not JSON ({exc})") from exc
            if not isinstance(data, (dict, list)):
                raise _Transient("invalid_json", "JSON is neither an object nor a list")
            return JsonPage(url=url, data=data, server_time=server_time)

        return self._with_retries(url, once)

    def download(self, url: str, target_dir: Path, *, mime_type: str) -> Download:
        """Stream ``url`` into ``target_dir`` as ``<sha256[:2]>/<sha256><suffix>`` (content-addressed:
        the same bytes land once), capped at ``max_download_bytes``. A declared PDF must look like one."""
        suffix = EXTRACTABLE_SUFFIXES.get(mime_type, "")
        partial_dir = target_dir / ".partial"

        def once() -> Download:
            resp = self._open(url, self.policy.check_download, "*/*")
            content_type = resp.headers.get("Content-Type")
            partial_dir.mkdir(parents=True, exist_ok=True)
            tmp = partial_dir / f"{uuid.uuid4().hex}{suffix}"
            digest = hashlib.sha256()
            size = 0
            head = b""
            try:
                with open(tmp, "wb") as fh:
                    for chunk in self._iter_body(resp, self.settings.max_download_bytes, url):
                        if len(head) < 1024:
                            head += chunk[:1024 - len(head)]
                        digest.update(chunk)
                        size += len(chunk)
                        fh.write(chunk)
                if mime_type == "application/pdf" and b"%PDF" not in head:
                    raise FetchError(f"{url}: declared a PDF, but the answer is not one "
                                     f"({content_type or 'no Content-Type'})", reason="not_pdf")
                sha = digest.hexdigest()
                final = target_dir / sha[:2] / f"{sha}{suffix}"
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)
                return Download(path=final, sha256=sha, size=size, content_type=content_type)
            finally:
                tmp.unlink(missing_ok=True)

        return self._with_retries(url, once)
