"""Who is calling: the client's address, with X-Forwarded-For believed only from
TRUSTED_PROXIES. Pure."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

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


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# an IPv6 caller is given a /64 (the smallest block a network hands out): counted per address,
# it would have 2**64 allowances
IPV6_CALLER_PREFIX = 64


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:1.2.3.4 is 1.2.3.4
    return address


def caller_group(address: str) -> str:
    """Whose allowance an address spends: an IPv4 address itself (IPv4-mapped IPv6 included),
    an IPv6 address's /64, anything else (`unknown`, a test client's name) as it is."""
    parsed = _address(address)
    if parsed is None:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, IPV6_CALLER_PREFIX), strict=False))
    return str(parsed)


def client_ip(peer: str | None, forwarded_for: str | Sequence[str] | None, trusted: tuple[Network, ...]) -> str:
    """The caller's address: the socket's peer, unless that peer is a trusted proxy; then the
    right-most X-Forwarded-For hop that is not itself a trusted proxy (hops further left were
    written by the client, who can write anything). Several X-Forwarded-For lines are one list,
    in order (RFC 9110, 5.3): a proxy that appends a line of its own puts the hop it saw last."""
    candidate = peer or "unknown"
    if forwarded_for is not None and not isinstance(forwarded_for, str):
        forwarded_for = ",".join(forwarded_for)

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
