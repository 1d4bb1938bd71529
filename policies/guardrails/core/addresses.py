"""Addresses that add up to the internet, and private ones, for the policies of every family that judge where
traffic may come from or go (security groups and network ACLs, Network Firewall rules)."""
from __future__ import annotations

import ipaddress
from typing import Any, Iterable, Optional


def internet_cidrs(cidrs: Iterable[str]) -> list[str]:
    """The CIDRs that together hold every public IPv4 or every public IPv6 address: 0.0.0.0/0 and ::/0 however
    written (the provider compares parsed blocks, so `::0/0` is `::/0`), or blocks that add up to the internet
    (`0.0.0.0/1` and `128.0.0.0/1`; `0.0.0.0/1`, `128.0.0.0/2` and `192.0.0.0/3`, all of unicast)."""
    found: list[str] = []
    cidrs = tuple(cidrs)
    for version in (4, 6):
        blocks = [(cidr, network) for cidr, network in ((c, network_of(c)) for c in cidrs)
                  if network is not None and network.version == version]
        if covers_the_internet([n for _, n in blocks], version):
            zero = [cidr for cidr, network in blocks if network.prefixlen == 0]
            found += zero or [cidr for cidr, _ in blocks]
    return found


# What is not the internet: IANA's special-purpose IPv4 blocks (RFC 6890: this network, private, shared, loopback,
# link-local, documentation, benchmarking, multicast, reserved); for IPv6, everything outside global unicast.
_CGNAT = ipaddress.ip_network("100.64.0.0/10")  # shared address space (RFC 6598)
_NOT_INTERNET_V4 = (_CGNAT, *(ipaddress.ip_network(c) for c in (
    "0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3")))
_INTERNET_V6 = ipaddress.ip_network("2000::/3")


def covers_the_internet(networks: list, version: int) -> bool:
    """Whether the blocks together hold every public address of their IP version (for IPv6, all of 2000::/3)."""
    collapsed = list(ipaddress.collapse_addresses(networks))
    if any(n.prefixlen == 0 for n in collapsed):
        return True
    if version == 6:
        return any(_INTERNET_V6.subnet_of(n) for n in collapsed)
    # Every address outside the special blocks, by count: the collapsed blocks do not overlap each other.
    public = 2 ** 32 - sum(n.num_addresses for n in _NOT_INTERNET_V4)
    covered = sum(0 if any(n.subnet_of(x) for x in _NOT_INTERNET_V4)
                  else n.num_addresses - sum(x.num_addresses for x in _NOT_INTERNET_V4 if x.subnet_of(n))
                  for n in collapsed)
    return covered >= public


def holds_public(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    """Whether a block holds any public address: one outside IANA's special-purpose IPv4 blocks, or in 2000::/3."""
    if network.version == 6:
        return network.overlaps(_INTERNET_V6)
    return not any(network.subnet_of(x) for x in _NOT_INTERNET_V4)


def without(network: Any, taken: list) -> list:
    """What is left of a block once the blocks `taken` are removed (of its IP version)."""
    left = [network]
    for block in (t for t in taken if t.version == network.version):
        left = [piece for n in left for piece in (
            [] if n.subnet_of(block) else n.address_exclude(block) if block.subnet_of(n) else [n])]
    return left


def network_of(cidr: str) -> Optional[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The CIDR as a network (host bits allowed, as the provider parses it), or None where it is not one."""
    try:
        return ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return None


def is_private(cidr: str) -> bool:
    """Inside private address space (RFC 1918, CGNAT, IPv6 ULA): a source inside the network, for "admits callers
    by CIDR" (a narrower question than `anywhere`'s, which also leaves out documentation and reserved blocks)."""
    network = network_of(cidr)
    if network is None or network.is_loopback or network.prefixlen == 0:
        return False
    # Python leaves CGNAT's shared space out of is_private (RFC 6598: neither private nor global).
    return network.is_private or (network.version == 4 and network.subnet_of(_CGNAT))
