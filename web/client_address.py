"""The caller's address: the connection's peer, or what a trusted proxy forwarded.

X-Forwarded-For is honoured only when the peer is one of LOOKBACK_TRUSTED_PROXIES (empty by
default); then the nearest address in the chain that is not itself a trusted proxy is the
client, so a client cannot choose its address by sending the header itself."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: the settings read parse_proxies without loading starlette
    from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses or networks (CIDR); ValueError naming a bad entry."""
    networks = []
    for entry in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"trusted proxy {entry!r}: not an IP address or network "
                             "(write e.g. 10.0.0.5 or 10.0.0.0/24)") from exc
    return tuple(networks)


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request: Request, proxies: Sequence[Network]) -> str:
    """The client's address as far as trusted proxies vouch for it."""
    peer = request.client.host if request.client else "unknown"
    if not _trusted(peer, proxies):
        return peer
    chain = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([a for a in chain if a]):
        if not _trusted(address, proxies):
            return address
    return peer
