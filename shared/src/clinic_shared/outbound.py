"""Outbound address policy: where the addresses an administrator types in may lead.

Staff with a settings right set URLs and hosts the platform then connects to on its own: the
ONDOC server, a laboratory's exchange, the SMS providers, the SMTP server. Without a policy
such a setting is a way into the platform's own network — `server_url = http://127.0.0.1:…`
made the ONDOC bridge call the gateway itself, and `169.254.169.254` is a cloud's metadata
service (credentials). So loopback, link-local, private and other non-public addresses are
refused unless the operator allows private targets (`CLINIC_OUTBOUND_ALLOW_PRIVATE`; embedded
mode and `make up` do, for their fakes on 127.0.0.1). A few addresses are never a destination,
whatever the setting: unspecified, multicast, reserved, and the cloud metadata services.

The policy is about addresses, not text: a host name is resolved and refused when ANY of its
addresses is refused (`resolve`). It is applied twice:
- when a setting is saved (`check_setting`): a 422 naming the field. A name that does not
  resolve at that moment is accepted — it is checked again before every connection;
- right before every connection, to the address the client then connects to, so a name whose
  DNS answer changes after the check (DNS rebinding) cannot slip through:
  `guarded_transport()` for httpx, `connect_socket()` for clients that take a connected socket
  (aiosmtplib). Either raises `OutboundRefused`, which callers record as a failed delivery.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from clinic_shared.errors import ValidationFailed
from clinic_shared.http import POOL_LIMITS

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOW_SETTING = "CLINIC_OUTBOUND_ALLOW_PRIVATE"
# A lookup slower than this fails the connection (a saved setting is then accepted unchecked).
RESOLVE_TIMEOUT_SECONDS = 5.0
SAVE_RESOLVE_TIMEOUT_SECONDS = 3.0

# Cloud metadata services (AWS/GCP/Azure/OpenStack, AWS ECS and IPv6, Alibaba): never a destination.
_METADATA = frozenset(
    ipaddress.ip_address(text) for text in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_SHARED_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class OutboundRefused(Exception):
    """A destination the policy refuses. `str()` says which address and why (safe to show staff)."""

    def __init__(self, host: str, address: str, reason: str, *, allowable: bool) -> None:
        where = address if host.strip("[]") == address else f"{host} resolves to {address}"
        message = f"refused by the outbound address policy: {where}, {reason}"
        if allowable:
            message += f" (an operator can allow private targets with {ALLOW_SETTING}=true)"
        super().__init__(message)
        self.host, self.address, self.reason = host, address, reason


def refusal(address: str | IPAddress, *, allow_private: bool) -> str | None:
    """Why the policy refuses to connect to `address` ("a loopback address", …), or None.

    An IPv6 address that carries an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible,
    6to4, NAT64) is judged by the IPv4 address, since that is where the packets end up.
    """
    ip = address if isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address) else _parse(address)
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        reason = refusal(inner, allow_private=allow_private)
        return f"{reason} (inside an IPv6 address)" if reason else None
    if ip.is_unspecified or ip in _THIS_NETWORK:
        return "an unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if _unscoped(ip) in _METADATA:
        return "a cloud metadata service address"
    if ip.version == 4 and ip.is_reserved:
        return "a reserved address"
    if allow_private:
        return None
    return _private_refusal(ip)


def _private_refusal(ip: IPAddress) -> str | None:
    """Refusals the operator may lift: loopback, link-local, private and other non-public ranges."""
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip in _SHARED_CGNAT:
        return "a shared (carrier-grade NAT) address"
    if ip.is_private:
        return "a private network address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if ip.is_reserved or not ip.is_global:
        return "not a public address"
    return None


def _parse(text: str) -> IPAddress:
    return ipaddress.ip_address(text.strip("[]"))


def _unscoped(ip: IPAddress) -> IPAddress:
    """The address without an IPv6 zone (`fe80::1%eth0`), which would make equal addresses differ."""
    return ipaddress.IPv6Address(int(ip)) if isinstance(ip, ipaddress.IPv6Address) else ip


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def host_of(value: str) -> str | None:
    """The host of a URL (`https://host:port/path`) or of a bare host name (an SMTP host)."""
    text = value.strip()
    if "://" in text:
        try:
            return urlsplit(text).hostname or None
        except ValueError:
            return None
    return text.strip("[]").lower() or None


@dataclass(frozen=True)
class Destination:
    """One address a host resolved to and the policy allows: connect exactly here."""

    family: int
    sockaddr: tuple[Any, ...]

    @property
    def address(self) -> str:
        return str(self.sockaddr[0])


async def lookup(host: str, port: int) -> list[tuple[Any, ...]]:
    """`getaddrinfo` for TCP without blocking the event loop (tests replace it)."""
    loop = asyncio.get_running_loop()
    return await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)


async def resolve(
    host: str, port: int, *, allow_private: bool, timeout: float = RESOLVE_TIMEOUT_SECONDS
) -> list[Destination]:
    """Every address `host` resolves to, in the resolver's order; `OutboundRefused` when ANY is refused.

    One refused address refuses the host: a client may connect to any of them (or, after a
    retry, to another). A name that cannot be resolved raises `OSError` (or `TimeoutError`).
    "localhost" and its subdomains count as loopback without asking the resolver.
    """
    bare = host.strip("[]")
    name = bare.lower().rstrip(".")
    if not allow_private and (name == "localhost" or name.endswith(".localhost")):
        raise OutboundRefused(host, name, "a loopback name", allowable=True)
    try:
        async with asyncio.timeout(timeout):
            infos = await lookup(bare, port)
    except UnicodeError as exc:  # a name the IDNA codec cannot encode
        raise OSError(f"cannot resolve a host name ({getattr(exc, 'reason', exc)})") from exc
    destinations: list[Destination] = []
    for family, _type, _proto, _name, sockaddr in infos:
        text = str(sockaddr[0])
        reason = refusal(text, allow_private=allow_private)
        if reason is not None:
            allowable = refusal(text, allow_private=True) is None
            raise OutboundRefused(host, text, reason, allowable=allowable)
        destination = Destination(family, tuple(sockaddr))
        if destination not in destinations:
            destinations.append(destination)
    if not destinations:
        raise OSError("the host name resolves to no address")
    return destinations


async def check_setting(
    field: str, value: str | None, *, allow_private: bool, timeout: float = SAVE_RESOLVE_TIMEOUT_SECONDS
) -> None:
    """Refuse (422 naming `field`) a URL or host an administrator is saving when it leads where the
    policy forbids. Its form is the schema's business; a name that does not resolve now is
    accepted, since it is checked again before every connection."""
    host = host_of(value) if value else None
    if not host:
        return
    try:
        await resolve(host, 0, allow_private=allow_private, timeout=timeout)
    except OutboundRefused as exc:
        raise ValidationFailed.field(field, str(exc)) from exc
    except (OSError, TimeoutError, ValueError):
        return


async def connect_socket(host: str, port: int, *, allow_private: bool, timeout: float) -> socket.socket:
    """A non-blocking TCP socket connected to an address of `host` the policy allows, for clients
    that take a connected socket (aiosmtplib): the address checked is the address connected to.

    The addresses are tried in the resolver's order; the last connection error is raised when
    none answers. `OutboundRefused` when the policy refuses any of them.
    """
    destinations = await resolve(host, port, allow_private=allow_private, timeout=timeout)
    loop = asyncio.get_running_loop()
    failure: BaseException | None = None
    for destination in destinations:
        sock = socket.socket(destination.family, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            async with asyncio.timeout(timeout):
                await loop.sock_connect(sock, destination.sockaddr)
        except (OSError, TimeoutError) as exc:
            sock.close()
            failure = exc
            continue
        except BaseException:
            sock.close()
            raise
        return sock
    assert failure is not None
    raise failure


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking each host itself and connecting to the
    address it checked (httpcore still verifies TLS against the host name of the URL)."""

    def __init__(self, *, allow_private: bool, resolve_timeout: float) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private
        self._resolve_timeout = resolve_timeout

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        limit = min(timeout, self._resolve_timeout) if timeout else self._resolve_timeout
        try:
            destinations = await resolve(host, port, allow_private=self._allow_private, timeout=limit)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout("the host name did not resolve in time") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"the host name did not resolve ({type(exc).__name__})") from exc
        failure: Exception | None = None
        for destination in destinations:
            try:
                return await self._inner.connect_tcp(
                    destination.address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise OutboundRefused(path, path, "a local socket", allowable=False)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """An httpx transport whose every connection goes through the policy (see `_GuardedBackend`).

    httpx has no public way to give its connection pool a network backend, so the pool built by
    `AsyncHTTPTransport` is replaced with an equal one that has it (`_pool` is what
    `handle_async_request` sends through; shared/tests/test_outbound_policy.py fails if an httpx
    upgrade stops routing connections through the guard). No proxy: the policy could not see
    where a proxy connects.
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        retries: int = 0,
        limits: httpx.Limits = POOL_LIMITS,
        resolve_timeout: float = RESOLVE_TIMEOUT_SECONDS,
    ) -> None:
        super().__init__(retries=retries, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            retries=retries,
            network_backend=_GuardedBackend(allow_private=allow_private, resolve_timeout=resolve_timeout),
        )


def guarded_transport(*, allow_private: bool, retries: int = 0) -> GuardedTransport:
    """The transport for calls to an address an administrator set (pass it to `make_client`)."""
    return GuardedTransport(allow_private=allow_private, retries=retries)
