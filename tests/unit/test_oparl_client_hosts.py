"""The host policy of the OParl client: which URLs it may fetch pages and files from."""

from __future__ import annotations

from typing import Iterable

import pytest

from corpora.errors import FetchError, SourceError
from corpora.http import HostPolicy, host_is_private, origin_of
from corpora.oparl_client import OParlClient
from corpora.settings import Settings

ADDRESSES = {
    "ris.example.de": ["93.184.216.34"],
    "files.example.de": ["93.184.216.35"],
    "intranet.example.de": ["10.1.2.3"],
    "rebind.example.de": ["93.184.216.36", "127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
}


def resolve(host: str, port: int) -> Iterable[str]:
    if host not in ADDRESSES:
        raise OSError(f"no such host {host}")
    return ADDRESSES[host]


def policy(start: str = "https://ris.example.de/oparl/v1.1/system", **kw: object) -> HostPolicy:
    return HostPolicy(start, resolve=resolve, **kw)  # type: ignore[arg-type]


def refused(check: object, url: str) -> bool:
    try:
        check(url)  # type: ignore[operator]
    except FetchError as exc:
        assert exc.reason == "refused_host"
        return True
    return False


def test_origin() -> None:
    assert str(origin_of("https://RIS.example.de/oparl")) == "https://ris.example.de:443"
    assert str(origin_of("http://127.0.0.1:8765/x")) == "http://127.0.0.1:8765"
    for bad in ("ftp://ris.example.de/x", "ris.example.de/oparl", "http://ris.example.de:99999/"):
        with pytest.raises(FetchError):
            origin_of(bad)


@pytest.mark.parametrize("host, private", [
    ("127.0.0.1", True), ("10.0.0.1", True), ("192.168.1.20", True), ("169.254.169.254", True),
    ("100.64.1.1", True), ("[::1]", True), ("::ffff:127.0.0.1", True), ("0.0.0.0", True), ("93.184.216.34", False),
    ("ris.example.de", False), ("intranet.example.de", True), ("rebind.example.de", True),
    ("localhost", True), ("unknown.example.de", None),
])
def test_private_addresses(host: str, private: bool | None) -> None:
    assert host_is_private(host, 443, resolve) is private


def test_pages_only_from_the_sources_origin() -> None:
    p = policy()
    assert not refused(p.check_page, "https://ris.example.de/oparl/v1.1/body/1/paper?page=2")
    assert refused(p.check_page, "http://ris.example.de/oparl/v1.1/body/1/paper")  # https → http
    assert refused(p.check_page, "https://ris.example.de:8443/oparl/v1.1/body/1/paper")  # another port
    assert refused(p.check_page, "https://files.example.de/oparl/v1.1/body/1/paper")
    assert refused(p.check_page, "http://127.0.0.1/oparl/v1.1/body/1/paper")
    # http → https on the same host is the usual redirect, not another source.
    assert not refused(policy("http://ris.example.de/oparl/v1.1/system").check_page,
                       "https://ris.example.de/oparl/v1.1/system")


def test_a_loopback_source_reads_its_own_host_only() -> None:
    p = policy("http://127.0.0.1:8765/oparl/system")
    assert not refused(p.check_download, "http://127.0.0.1:8765/files/1.pdf")
    assert refused(p.check_download, "http://localhost:8765/files/1.pdf")  # another name: not the source
    assert refused(p.check_download, "http://127.0.0.1:9000/files/1.pdf")


def test_downloads() -> None:
    p = policy()
    assert not refused(p.check_download, "https://ris.example.de/files/1.pdf")
    for url in ("https://files.example.de/1.pdf", "http://localhost/1.pdf", "http://10.0.0.5/1.pdf",
                "https://intranet.example.de/1.pdf", "http://169.254.169.254/latest/meta-data"):
        assert refused(p.check_download, url), url


def test_allow_private_hosts_opens_private_addresses_only() -> None:
    p = policy(allow_private_hosts=True)
    for url in ("http://localhost/1.pdf", "http://10.0.0.5/1.pdf", "https://intranet.example.de/1.pdf"):
        assert not refused(p.check_download, url), url
    assert refused(p.check_download, "https://files.example.de/1.pdf")   # public, not named
    assert refused(p.check_download, "https://unknown.example.de/1.pdf")  # does not resolve


def test_extra_hosts_name_public_file_servers() -> None:
    p = policy(extra_hosts=["files.example.de", "rebind.example.de", "intranet.example.de"])
    assert not refused(p.check_download, "https://files.example.de/1.pdf")
    assert not refused(p.check_page, "https://files.example.de/oparl/paper")
    assert refused(p.check_download, "https://rebind.example.de/1.pdf")   # one address is loopback
    assert refused(p.check_download, "https://intranet.example.de/1.pdf")
    assert not refused(policy(extra_hosts=["intranet.example.de"], allow_private_hosts=True).check_download,
                       "https://intranet.example.de/1.pdf")


def test_the_client_needs_an_http_url(tmp_path: object) -> None:
    settings = Settings(data_dir=tmp_path)  # type: ignore[arg-type]
    with pytest.raises(SourceError):
        OParlClient("file:///etc/passwd", settings)
    client = OParlClient(" https://ris.example.de/oparl/v1.1/system ", settings)
    assert (client.kind, client.key) == ("oparl", "oparl:https://ris.example.de/oparl/v1.1/system")
