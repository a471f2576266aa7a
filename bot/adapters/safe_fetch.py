"""Fetch a contributor-supplied URL without letting it reach inside our network (SSRF).

For an optional reachability check of non-arXiv paper links; nothing calls it by default and no
config turns it on. What makes it safe, hop by hop:

- only ``http``/``https``, no credentials in the URL, only ports 80 and 443 by default;
- the host is resolved once per hop (``socket.getaddrinfo``) and *every* address it resolves to must
  be public: not loopback, private, link-local (169.254.169.254, the cloud metadata service),
  multicast, reserved, unspecified, shared (100.64/10), nor an IPv6 form that embeds one of these
  (IPv4-mapped, 6to4, Teredo, NAT64);
- the connection goes to the address that was checked (the URL carries the IP, ``Host`` and TLS
  SNI/certificate checks carry the name), so a DNS answer that changes between check and connect
  (rebinding) cannot swap in another address;
- redirects are followed by hand (``allow_redirects=False``), each hop checked again, at most
  ``max_redirects``;
- the body is streamed raw (``Accept-Encoding: identity``, no decompression bombs) up to
  ``max_bytes``, and the whole fetch, DNS included, is bounded by ``total_seconds``;
- no proxies or netrc from the environment (``trust_env=False``): a proxy would resolve the name
  itself.

Tests may pass ``FetchPolicy(allow_loopback=True, allowed_ports=None)`` to reach a local server;
the default never allows it.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Ranges refused even where the ipaddress module's flags would let them through on some Python
# version: "this network", shared address space (carrier NAT), IETF protocol assignments,
# benchmarking, NAT64's well-known prefix is handled by unwrapping it.
_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "100.64.0.0/10",
        "192.0.0.0/24",
        "198.18.0.0/15",
        "::/128",
        "64:ff9b:1::/48",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """The fetch did not produce a response; str() says why, in words for a log line."""


class FetchRefused(FetchError):
    """Refused by policy before any connection to that address was made."""


class FetchFailed(FetchError):
    """A network failure, a timeout or too many redirects."""


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int = 1_000_000
    total_seconds: float = 10.0
    connect_seconds: float = 5.0
    max_redirects: int = 5
    allowed_ports: frozenset[int] | None = frozenset({80, 443})  # None: any port (tests)
    allow_loopback: bool = False  # tests only: reach a server on 127.0.0.1 / ::1
    verify: bool | str = True  # a CA bundle path for tests; never False in production
    user_agent: str = "awesome-review link check"


@dataclass
class FetchResult:
    url: str  # the last URL fetched (after redirects)
    status: int
    headers: dict[str, str]
    content: bytes  # at most policy.max_bytes, raw (not decompressed)
    truncated: bool  # the body was longer than max_bytes
    hops: list[str] = field(default_factory=list)  # every URL requested, in order


@dataclass(frozen=True)
class Reachability:
    ok: bool
    status: int | None
    reason: str


def is_public_address(ip: str | IPAddress, *, allow_loopback: bool = False) -> bool:
    """True only for an address on the public internet (``allow_loopback``: loopback too, for tests)."""
    try:
        addr = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        embedded: list[IPAddress] = []
        if addr.ipv4_mapped is not None:
            embedded.append(addr.ipv4_mapped)
        if addr.sixtofour is not None:
            embedded.append(addr.sixtofour)
        if addr.teredo is not None:
            embedded.append(addr.teredo[1])
        if addr in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
        if not all(is_public_address(e, allow_loopback=allow_loopback) for e in embedded):
            return False
        if addr.ipv4_mapped is not None and addr.ipv4_mapped.is_loopback:
            return allow_loopback  # ::ffff:127.0.0.1 is loopback in disguise, no more
    if addr.is_unspecified:  # 0.0.0.0 and :: reach the local host on Linux
        return False
    if addr.is_loopback:
        return allow_loopback
    if any(addr in net for net in _BLOCKED if net.version == addr.version):
        return False
    bad = addr.is_private or addr.is_link_local or addr.is_multicast or addr.is_reserved
    return addr.is_global and not bad


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (TCP)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


def fetch(
    url: str, policy: FetchPolicy | None = None, *, resolver: Resolver = system_resolver
) -> FetchResult:
    """GET ``url`` under ``policy``; raises FetchRefused or FetchFailed, never another exception
    type for anything a contributor can write."""
    policy = policy or FetchPolicy()
    deadline = time.monotonic() + policy.total_seconds
    hops: list[str] = []
    current = url
    for _ in range(policy.max_redirects + 1):
        hops.append(current)
        target = _check_url(current, policy)
        ip = _resolve_checked(target.host, target.port, policy, resolver, deadline)
        resp, session = _request(target, ip, policy, deadline)
        try:
            if resp.status_code in REDIRECTS and resp.headers.get("Location"):
                try:
                    current = urljoin(current, resp.headers["Location"])
                except ValueError:
                    raise FetchRefused("redirect to a malformed URL") from None
                continue
            content, truncated = _read_capped(resp, policy, deadline)
            return FetchResult(current, resp.status_code, dict(resp.headers), content, truncated, hops)
        finally:
            resp.close()
            session.close()
    raise FetchFailed(f"more than {policy.max_redirects} redirects")


def reachable(
    url: str, policy: FetchPolicy | None = None, *, resolver: Resolver = system_resolver
) -> Reachability:
    """Whether ``url`` answers below 400 within the policy's limits; never raises."""
    policy = policy or FetchPolicy(max_bytes=16_384)
    try:
        result = fetch(url, policy, resolver=resolver)
    except FetchError as exc:
        return Reachability(False, None, str(exc))
    return Reachability(result.status < 400, result.status, f"HTTP {result.status}")


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # lower-case name or IP literal, without brackets
    port: int
    path: str  # path + query, never empty
    host_header: str


def _check_url(url: str, policy: FetchPolicy) -> _Target:
    if not isinstance(url, str) or len(url) > 8192 or any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise FetchRefused("not a URL")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused("not a URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"scheme {scheme!r} is not http or https")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise FetchRefused("credentials in the URL")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused("no host")
    port = port or (443 if scheme == "https" else 80)
    if policy.allowed_ports is not None and port not in policy.allowed_ports:
        raise FetchRefused(f"port {port} is not allowed")
    default = port == (443 if scheme == "https" else 80)
    shown = f"[{host}]" if ":" in host else host
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return _Target(scheme, host, port, path, shown if default else f"{shown}:{port}")


def _resolve_checked(host: str, port: int, policy: FetchPolicy, resolver: Resolver, deadline: float) -> str:
    """The address to connect to: every address of ``host`` must be public, or none is used."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    addresses = [str(literal)] if literal is not None else _with_deadline(resolver, host, port, deadline)
    if not addresses:
        raise FetchFailed(f"{host} has no address")
    for ip in addresses:
        if not is_public_address(ip, allow_loopback=policy.allow_loopback):
            raise FetchRefused(f"{host} resolves to {ip}, which is not a public address")
    return addresses[0]


def _with_deadline(resolver: Resolver, host: str, port: int, deadline: float) -> list[str]:
    """getaddrinfo cannot be given a timeout: run it in a thread and stop waiting at the deadline."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["ok"] = resolver(host, port)
        except Exception as exc:
            out["error"] = exc

    thread = threading.Thread(target=run, name="safe-fetch-dns", daemon=True)
    thread.start()
    thread.join(max(deadline - time.monotonic(), 0.0))
    if thread.is_alive():
        raise FetchFailed(f"resolving {host} took too long")
    if "error" in out:
        raise FetchFailed(f"could not resolve {host}: {type(out['error']).__name__}")
    return list(out["ok"])


class _PinnedTLS(HTTPAdapter):
    """HTTPS to an IP address while SNI and the certificate check use the host name."""

    def __init__(self, hostname: str) -> None:
        self._hostname = hostname
        super().__init__(max_retries=0)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        pool_kwargs["server_hostname"] = self._hostname
        pool_kwargs["assert_hostname"] = self._hostname
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)


def _request(
    target: _Target, ip: str, policy: FetchPolicy, deadline: float
) -> tuple[requests.Response, requests.Session]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchFailed("timed out")
    session = requests.Session()
    session.trust_env = False  # no HTTP(S)_PROXY, no netrc: a proxy would resolve the name itself
    session.mount("http://", HTTPAdapter(max_retries=0))
    session.mount("https://", _PinnedTLS(target.host))
    pinned = f"[{ip}]" if ":" in ip else ip
    url = f"{target.scheme}://{pinned}:{target.port}{target.path}"
    headers = {
        "Host": target.host_header,
        "User-Agent": policy.user_agent,
        "Accept-Encoding": "identity",
        "Accept": "*/*",
    }
    try:
        resp = session.get(
            url,
            headers=headers,
            stream=True,
            allow_redirects=False,
            timeout=(min(policy.connect_seconds, remaining), remaining),
            verify=policy.verify,
        )
    except requests.exceptions.SSLError:
        session.close()
        raise FetchFailed(f"TLS failed for {target.host}") from None
    except requests.exceptions.Timeout:
        session.close()
        raise FetchFailed("timed out") from None
    except requests.exceptions.RequestException as exc:
        session.close()
        raise FetchFailed(f"{type(exc).__name__} from {target.host}") from None
    return resp, session


def _read_capped(resp: requests.Response, policy: FetchPolicy, deadline: float) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in resp.raw.stream(16_384, decode_content=False):
            if time.monotonic() > deadline:
                raise FetchFailed("timed out while reading the body")
            chunks.append(chunk)
            size += len(chunk)
            if size > policy.max_bytes:
                return b"".join(chunks)[: policy.max_bytes], True
    except FetchFailed:
        raise
    except Exception as exc:
        raise FetchFailed(f"reading the body failed: {type(exc).__name__}") from None
    return b"".join(chunks), False
