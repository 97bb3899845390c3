"""The address guard: refuse hosts that resolve to addresses a public fetcher must not reach.

The check runs inside the connection itself (the backend every connection is opened by), so
the address that is checked is the address that is connected to: a DNS answer that changes
between a check and the connection (DNS rebinding) cannot slip a private address through.
Every resolved address must pass, not just the first.

Through a proxy the proxy connects, so two checks stand in for the one: the target host is
resolved and checked before the request is handed to the proxy, and the connection to the
proxy itself goes through the guard (a proxy on a private address only when configured).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore

from newsdesk.errors import BlockedAddressError, FetchError
from newsdesk.fetch.streams import open_stream

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class UnresolvedHostError(FetchError):
    """The host name has no address (a network failure of that host, for backoff)."""


def refusal_reason(address: str, *, allow_private: bool) -> str | None:
    """Why this IP address may not be fetched, or None when it may.

    Unspecified, multicast and reserved addresses are refused even when private networks are
    allowed: no HTTP server lives there, and 0.0.0.0 quietly reaches the local machine.
    """
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "unparseable"
    if isinstance(ip, ipaddress.IPv6Address):
        ip = _embedded_ipv4(ip) or ip
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_loopback:  # before "reserved": ::1 lies in the reserved ::/8
        return None if allow_private else "loopback"
    if ip.is_reserved:
        return "reserved"
    if allow_private:
        return None
    if ip.is_link_local:
        return "link-local"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "non-public"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: mapped (::ffff:a.b.c.d), NAT64, 6to4."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


# refused whatever the settings say: no HTTP server lives there
ALWAYS_REFUSED = frozenset({"unparseable", "unspecified", "multicast", "reserved"})


def check_addresses(
    host: str,
    addresses: Iterable[str],
    *,
    allow_private: bool,
    setting: str = "NEWSDESK_ALLOW_PRIVATE_NETWORKS",
    role: str = "",
) -> None:
    """Raise BlockedAddressError if any address of host is refused; the message names the
    `setting` that allows it, when one does. `role`: what the host is, e.g. " of the proxy"."""
    for address in addresses:
        reason = refusal_reason(address, allow_private=allow_private)
        if reason is None:
            continue
        hint = "" if reason in ALWAYS_REFUSED else f"; {setting}=true allows it"
        if address == host:
            raise BlockedAddressError(f"refused {reason} address {address}{role}{hint}")
        raise BlockedAddressError(
            f"refused {host}: it resolves to {reason} address {address}{role}{hint}"
        )


async def check_host(host: str, port: int, *, allow_private: bool, **naming: str) -> list[str]:
    """Every address of host, once each has passed; else BlockedAddressError (`naming`: the
    setting and role check_addresses names)."""
    addresses = await resolve(host, port)
    check_addresses(host, addresses, allow_private=allow_private, **naming)
    return addresses


async def resolve(host: str, port: int) -> list[str]:
    """Every address of host, in resolver order (getaddrinfo runs in a worker thread)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UnresolvedHostError(f"cannot resolve host {host}: {reason}") from None
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, then connects to a checked address only.

    proxy: the connections go to a proxy from the environment, and a refusal says so.
    """

    def __init__(self, *, allow_private: bool, proxy: bool = False) -> None:
        self._allow_private = allow_private
        self._proxy = proxy

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        naming = {"setting": "NEWSDESK_ALLOW_PRIVATE_PROXY", "role": " of the proxy"}
        addresses = await check_host(
            host, port, allow_private=self._allow_private, **(naming if self._proxy else {})
        )
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await open_stream(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # try the next address, like a browser does
                failure = exc
        if failure is None:
            raise UnresolvedHostError(f"no address for host {host}")
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
