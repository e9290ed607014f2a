"""The outbound address policy (clinic_shared.outbound): which addresses an administrator's URL
or host may lead to, checked on resolved addresses, and enforced on the connection itself."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from clinic_shared import outbound
from clinic_shared.errors import ValidationFailed
from clinic_shared.http import make_client
from clinic_shared.outbound import OutboundRefused, check_setting, connect_socket, guarded_transport, refusal, resolve
from clinic_shared.settings import ServiceSettings

REFUSED_UNLESS_ALLOWED = {
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "::1": "loopback",
    "10.0.0.1": "private",
    "172.16.0.1": "private",
    "172.31.255.255": "private",
    "192.168.1.1": "private",
    "169.254.1.1": "link-local",
    "fe80::1": "link-local",
    "fe80::1%1": "link-local",
    "fc00::1": "private",
    "fd12:3456::1": "private",
    "100.64.0.1": "carrier-grade NAT",
    "100.127.255.254": "carrier-grade NAT",
    "::ffff:127.0.0.1": "loopback address (inside an IPv6 address)",
    "::ffff:10.1.2.3": "private network address (inside an IPv6 address)",
    "::ffff:169.254.1.1": "link-local address (inside an IPv6 address)",
    "64:ff9b::7f00:1": "loopback address (inside an IPv6 address)",
    "2002:c0a8:101::1": "private network address (inside an IPv6 address)",
    "::127.0.0.1": "loopback address (inside an IPv6 address)",
    "fec0::1": "site-local",
    "192.0.2.10": "private",  # documentation (TEST-NET-1)
    "198.18.0.1": "private",  # benchmarking
}
ALWAYS_REFUSED = {
    "0.0.0.0": "unspecified",
    "0.1.2.3": "unspecified",
    "::": "unspecified",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "ff02::1": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "169.254.169.254": "cloud metadata",
    "169.254.170.2": "cloud metadata",
    "fd00:ec2::254": "cloud metadata",
    "100.100.100.200": "cloud metadata",
    "::ffff:169.254.169.254": "cloud metadata",
    "::ffff:0.0.0.0": "unspecified",
}
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize(("address", "kind"), REFUSED_UNLESS_ALLOWED.items())
def test_loopback_link_local_and_private_addresses_are_refused_unless_allowed(address: str, kind: str) -> None:
    reason = refusal(address, allow_private=False)
    assert reason is not None and kind in reason
    assert refusal(address, allow_private=True) is None


@pytest.mark.parametrize(("address", "kind"), ALWAYS_REFUSED.items())
def test_unspecified_multicast_reserved_and_metadata_addresses_are_refused_even_when_private_ones_are_allowed(
    address: str, kind: str
) -> None:
    for allow_private in (False, True):
        reason = refusal(address, allow_private=allow_private)
        assert reason is not None and kind in reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(address, allow_private=False) is None


def test_the_operator_setting_is_off_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLINIC_OUTBOUND_ALLOW_PRIVATE", raising=False)
    assert ServiceSettings().outbound_allow_private is False
    monkeypatch.setenv("CLINIC_OUTBOUND_ALLOW_PRIVATE", "true")
    assert ServiceSettings().outbound_allow_private is True


def resolving(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> list[str]:
    """Every host name resolves to `addresses`; returns the names looked up."""
    asked: list[str] = []

    async def lookup(host: str, port: int) -> list[tuple[Any, ...]]:
        asked.append(host)
        return [(10 if ":" in a else 2, 1, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(outbound, "lookup", lookup)
    return asked


async def test_a_name_is_refused_when_any_of_its_addresses_is(monkeypatch: pytest.MonkeyPatch) -> None:
    resolving(monkeypatch, "93.184.216.34", "127.0.0.1")
    with pytest.raises(OutboundRefused, match=r"partner\.example\.test resolves to 127\.0\.0\.1, a loopback address"):
        await resolve("partner.example.test", 443, allow_private=False)


async def test_a_name_with_public_addresses_resolves_to_them_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    resolving(monkeypatch, "93.184.216.34", "2606:4700:4700::1111", "93.184.216.34")
    destinations = await resolve("partner.example.test", 443, allow_private=False)
    assert [d.address for d in destinations] == ["93.184.216.34", "2606:4700:4700::1111"]


async def test_localhost_names_are_refused_without_asking_the_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = resolving(monkeypatch, "93.184.216.34")
    for name in ("localhost", "LOCALHOST.", "api.localhost"):
        with pytest.raises(OutboundRefused, match="loopback"):
            await resolve(name, 80, allow_private=False)
    assert asked == []


async def test_the_real_resolver_sees_through_other_spellings_of_loopback() -> None:
    for host in ("localhost", "127.1", "2130706433", "0x7f000001"):
        with pytest.raises(OutboundRefused, match="loopback"):
            await resolve(host, 80, allow_private=False)


async def test_a_resolver_that_does_not_answer_in_time_is_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    async def hanging(host: str, port: int) -> list[tuple[Any, ...]]:
        await asyncio.Event().wait()
        return []

    monkeypatch.setattr(outbound, "lookup", hanging)
    with pytest.raises(TimeoutError):
        await resolve("slow.example.test", 80, allow_private=False, timeout=0.01)


@pytest.mark.parametrize("value", ["http://127.0.0.1:8000/x", "https://[::1]/", "10.0.0.5", "http://localhost"])
async def test_a_refused_setting_is_a_422_naming_the_field(value: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await check_setting("server_url", value, allow_private=False)
    problem = refused.value.to_problem()
    assert problem["status"] == 422 and problem["errors"][0]["field"] == "server_url"
    assert "outbound address policy" in problem["errors"][0]["message"]
    assert "CLINIC_OUTBOUND_ALLOW_PRIVATE" in problem["errors"][0]["message"]


async def test_a_metadata_setting_names_no_operator_setting_that_would_allow_it() -> None:
    with pytest.raises(ValidationFailed) as refused:
        await check_setting("exchange_url", "http://169.254.169.254/latest/", allow_private=True)
    assert "CLINIC_OUTBOUND_ALLOW_PRIVATE" not in refused.value.errors[0]["message"]  # type: ignore[index]


async def test_a_setting_is_accepted_when_private_targets_are_allowed_or_its_name_does_not_resolve(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await check_setting("server_url", "http://127.0.0.1:8090", allow_private=True)
    await check_setting("server_url", None, allow_private=False)

    async def unknown(host: str, port: int) -> list[tuple[Any, ...]]:
        raise OSError("Name or service not known")

    monkeypatch.setattr(outbound, "lookup", unknown)
    await check_setting("server_url", "https://not-yet-registered.example.test", allow_private=False)


class Listener:
    """An HTTP/1.1 server on 127.0.0.1 that counts connections and answers 200 with the Host it got."""

    def __init__(self) -> None:
        self.connections = 0
        self.port = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        host = next(
            (line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("host:")), ""
        )
        body = host.encode()
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    watched = Listener()
    server = await asyncio.start_server(watched.serve, "127.0.0.1", 0)
    watched.port = server.sockets[0].getsockname()[1]
    async with server:
        yield watched


async def test_the_guarded_transport_refuses_a_loopback_server_without_connecting(listener: Listener) -> None:
    async with make_client(transport=guarded_transport(allow_private=False)) as client:
        with pytest.raises(OutboundRefused, match=r"127\.0\.0\.1, a loopback address"):
            await client.get(f"http://127.0.0.1:{listener.port}/")
    assert listener.connections == 0


async def test_the_guarded_transport_connects_to_the_address_it_checked(
    listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = resolving(monkeypatch, "127.0.0.1")
    async with make_client(transport=guarded_transport(allow_private=True)) as client:
        response = await client.get(f"http://partner.example.test:{listener.port}/")
    # The name was resolved once, by the policy; the request still names the host it was sent to.
    assert (response.status_code, response.text) == (200, f"partner.example.test:{listener.port}")
    assert asked == ["partner.example.test"] and listener.connections == 1


async def test_the_guarded_transport_refuses_a_name_that_resolves_to_loopback_at_connection_time(
    listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving(monkeypatch, "127.0.0.1")  # e.g. a DNS answer changed after the setting was saved
    async with make_client(transport=guarded_transport(allow_private=False)) as client:
        with pytest.raises(OutboundRefused, match=r"partner\.example\.test resolves to 127\.0\.0\.1"):
            await client.get(f"http://partner.example.test:{listener.port}/")
    assert listener.connections == 0


async def test_a_name_that_does_not_resolve_is_an_ordinary_connection_error(monkeypatch: pytest.MonkeyPatch) -> None:
    async def unknown(host: str, port: int) -> list[tuple[Any, ...]]:
        raise OSError("Name or service not known")

    monkeypatch.setattr(outbound, "lookup", unknown)
    async with make_client(transport=guarded_transport(allow_private=False)) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("https://partner.example.test/")


async def test_connect_socket_refuses_a_loopback_host_and_connects_to_an_allowed_one(listener: Listener) -> None:
    with pytest.raises(OutboundRefused):
        await connect_socket("127.0.0.1", listener.port, allow_private=False, timeout=5)
    assert listener.connections == 0
    sock = await connect_socket("127.0.0.1", listener.port, allow_private=True, timeout=5)
    try:
        assert sock.getpeername() == ("127.0.0.1", listener.port)
    finally:
        sock.close()
