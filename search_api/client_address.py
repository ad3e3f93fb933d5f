"""Who is calling: the client's address, with X-Forwarded-For believed only from
TRUSTED_PROXIES. Pure."""

from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxyConfigError(ValueError):
    """TRUSTED_PROXIES cannot be read."""


def parse_networks(value: str) -> tuple[Network, ...]:
    networks = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ProxyConfigError(f"TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR range") from exc
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The caller's address: the socket's peer, unless that peer is a trusted proxy; then the
    right-most X-Forwarded-For hop that is not itself a trusted proxy (hops further left were
    written by the client, who can write anything)."""
    candidate = peer or "unknown"

    def is_trusted(text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in net for net in trusted)

    if not forwarded_for or not is_trusted(candidate):
        return candidate
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:  # garbage where an address should be: stop at the last proxy we trust
            return candidate
        candidate = str(address)
        if not is_trusted(candidate):
            return candidate
    return candidate
