"""The gateway's HTTP transport to the services: httpx's API over aiohttp's connection pool.

The proxy (proxy.py) and the health and docs fetches speak httpx, so embedded mode can hand
them an `httpx.ASGITransport` instead (one code path). In distributed mode this transport
carries the requests. httpx's own pool scans every pooled connection on each request — a
`poll()` per idle connection plus a quadratic count of idle ones — which with the 30-odd
connections that 32 concurrent clients keep open was a fifth of the gateway's time per
booking. aiohttp's pool takes a free connection in constant time, and notices a connection the
service closed (a restart, its keep-alive timeout) when the socket closes, not by polling.

Behaviour kept from httpx's transport, which the proxy relies on:
- errors map to httpx's: a timeout is an `httpx.TimeoutException`, anything else on the wire
  an `httpx.TransportError` (the proxy answers both with a 503);
- a connection that cannot be made is retried `retries` times (nothing was sent yet);
- nothing is added to the request: no default User-Agent, Accept or Content-Type;
- the answer is not decompressed or followed: it is passed on as the service sent it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import aiohttp
import httpx

# Below the services' keep-alive timeout (uvicorn's default is 5 s), so the gateway drops an
# idle connection before the service does and never sends on one the service is closing.
KEEPALIVE_SECONDS = 4.0
CONNECT_RETRY_DELAYS = (0.0, 0.5, 1.0, 2.0)
# Headers aiohttp would otherwise add to every request on its own.
NOT_ADDED = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


@contextmanager
def httpx_errors() -> Iterator[None]:
    """aiohttp's exceptions as the httpx ones callers catch."""
    try:
        yield
    except aiohttp.ConnectionTimeoutError as exc:
        raise httpx.ConnectTimeout(str(exc) or "connect timeout") from exc
    except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
        raise httpx.ReadTimeout(str(exc) or "read timeout") from exc
    except aiohttp.ClientConnectorError as exc:
        raise httpx.ConnectError(str(exc)) from exc
    except aiohttp.ServerDisconnectedError as exc:
        raise httpx.RemoteProtocolError(str(exc) or "the server closed the connection") from exc
    except aiohttp.ClientPayloadError as exc:
        raise httpx.ReadError(str(exc)) from exc
    except aiohttp.InvalidURL as exc:
        raise httpx.UnsupportedProtocol(str(exc)) from exc
    except aiohttp.ClientError as exc:
        raise httpx.NetworkError(str(exc) or type(exc).__name__) from exc


class _Body(httpx.AsyncByteStream):
    """The answer's body as it arrives; closing it gives the connection back to the pool."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with httpx_errors():
            async for chunk in self._response.content.iter_any():
                yield chunk

    async def aclose(self) -> None:
        # Fully read: the connection goes back to the pool; cut short: it is closed.
        self._response.release()


class UpstreamTransport(httpx.AsyncBaseTransport):
    """An httpx transport that sends over one aiohttp session (made on first use, in the running loop)."""

    def __init__(self, *, max_connections: int = 100, retries: int = 2) -> None:
        self.max_connections = max_connections
        self.retries = retries
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self.max_connections, limit_per_host=0, keepalive_timeout=KEEPALIVE_SECONDS
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,
                skip_auto_headers=NOT_ADDED,
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=timeouts.get("pool"),  # waiting for a free connection, as httpx's pool timeout
            sock_connect=timeouts.get("connect"),
            sock_read=timeouts.get("read"),
        )
        body = await request.aread()
        for attempt, delay in enumerate(CONNECT_RETRY_DELAYS[: self.retries + 1]):
            if delay:
                await asyncio.sleep(delay)
            try:
                with httpx_errors():
                    response = await self._client().request(
                        request.method,
                        str(request.url),
                        headers=list(request.headers.multi_items()),
                        data=body or None,
                        allow_redirects=False,
                        timeout=timeout,
                    )
                break
            except httpx.ConnectError:
                if attempt >= self.retries:
                    raise
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=_Body(response),
            request=request,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": (response.reason or "").encode()},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
