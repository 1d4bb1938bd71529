"""Network ACLs: no subnet lets the internet reach the remote administration ports (SSH 22, RDP 3389).

A network ACL's ingress entries come inline (`ingress[]` on a NetworkAcl or an adopted DefaultNetworkAcl: `ruleNo`,
`action`, `protocol`, `fromPort`, `toPort`, `cidrBlock`, `ipv6CidrBlock`) or one per NetworkAclRule (`ruleNumber`,
`ruleAction`, `egress` false, and the same match fields). EC2 applies the lowest-numbered entry that matches a packet,
so an allow entry behind a deny of the same traffic from everywhere lets nothing of it in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from pulumi_policy import Severity, StackValidationArgs

from ..core.addresses import covers_the_internet, holds_public, internet_cidrs, network_of, without
from ..core.props import UNKNOWN, is_map, is_true, lower_text, num, number, peek, peek_items
from ..core.registry import stack_policy
from ..core.stack import of_type, referenced
from . import DEFAULT_NETWORK_ACL, NETWORK_ACL_RULE, NETWORK_ACLS, VPCS, default_key
from .rules import ALL_PROTOCOLS, protocol_name, vpc_default_of

# SSH and RDP. RDP runs over UDP 3389 too, and AWS Config's nacl-no-unrestricted-ssh-rdp counts TCP and UDP entries.
ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
_TRANSPORTS = ("tcp", "udp")


@dataclass(frozen=True)
class Entry:
    """One ingress (or possibly ingress) entry of a network ACL, whichever resource declares it."""

    holder: Any     # the NetworkAcl, DefaultNetworkAcl or NetworkAclRule reported on
    label: str      # "ingress[0]" for an inline entry, "" for a NetworkAclRule
    acl: Any        # the ACL it belongs to: a stack ACL's URN, a VPC's own default ACL (`_default_acl`), another
                    # ACL's id, or None when that is unknown
    ingress: Optional[bool]  # None: a NetworkAclRule whose `egress` is unknown
    number: Any     # rule number (the lowest matching entry decides), or UNKNOWN
    action: Any     # "allow", "deny", or UNKNOWN
    protocol: str   # as `protocol_name` gives it: "tcp", "-1", "?" when unknown
    from_port: Any
    to_port: Any
    cidr: Any       # its one CIDR (IPv4 or IPv6), UNKNOWN, or None

    def matches(self, transport: str, port: int) -> Optional[bool]:
        """Whether the entry applies to `transport` traffic to `port`; None when unknown. All protocols (-1) match
        every port: EC2 ignores the range."""
        if self.protocol == "?":
            return None
        if self.protocol in ALL_PROTOCOLS:
            return True
        if self.protocol != transport:
            return False
        if UNKNOWN in (self.from_port, self.to_port):
            return None
        low, high = self.from_port, self.to_port
        return isinstance(low, (int, float)) and isinstance(high, (int, float)) and low <= port <= high

    def describe(self) -> str:
        """`ingress[0] (rule 100, tcp 22)`, `ingress rule 100 (all traffic)`."""
        rule_number = "?" if self.number is UNKNOWN else num(self.number)
        if self.protocol in ALL_PROTOCOLS:
            traffic = "all traffic"
        else:
            low, high = ("?" if p is UNKNOWN else num(p) for p in (self.from_port, self.to_port))
            traffic = f"{self.protocol} {low}" if low == high else f"{self.protocol} {low}-{high}"
        if self.label:
            return f"{self.label} (rule {rule_number}, {traffic})"
        return f"ingress rule {rule_number} ({traffic})"


def _cidr(block: Any) -> Any:
    """An entry's source: `cidrBlock`, else `ipv6CidrBlock` (EC2 takes exactly one)."""
    values = [peek(block, key) for key in ("cidrBlock", "ipv6CidrBlock")]
    return next((v for v in values if isinstance(v, str) and v), UNKNOWN if UNKNOWN in values else None)


def _entry(holder: Any, label: str, acl: Any, ingress: Optional[bool], block: Any, number_key: str,
           action_key: str) -> Entry:
    return Entry(holder, label, acl, ingress, number(peek(block, number_key)), lower_text(peek(block, action_key)),
                 protocol_name(peek(block, "protocol")),
                 number(peek(block, "fromPort")), number(peek(block, "toPort")), _cidr(block))


def _default_acl(vpc: Any, resources: list) -> Optional[str]:
    """What keys a VPC's own default network ACL: the stack's DefaultNetworkAcl adopting it (its URN, as its inline
    entries are keyed), else the VPC's; None while one may adopt it by an id only the update tells (`adopting`:
    picked among several VPCs' default ACLs, made from nothing of the stack, or written out while the default
    VPC's is unread; a VPC the update makes gets an ACL id EC2 assigns, which no text written before names)."""
    return default_key(resources, vpc, DEFAULT_NETWORK_ACL, "defaultNetworkAclId", "defaultNetworkAclId",
                       f"{vpc.urn}#defaultNetworkAcl")[0]


def entries(resources: list) -> list[Entry]:
    """Every ingress entry of the stack's network ACLs, inline and standalone; a NetworkAclRule whose `egress` is
    unknown too (it may be one). A rule naming a VPC's own default ACL by the VPC's `defaultNetworkAclId` belongs to
    that ACL (`_default_acl`), as a security group rule naming the VPC's `defaultSecurityGroupId` to that group."""
    acls = of_type(resources, *NETWORK_ACLS)
    vpcs = of_type(resources, *VPCS)
    found = [_entry(acl, f"ingress[{i}]", acl.urn, True, block, "ruleNo", "action")
             for acl in acls for i, block in enumerate(peek_items(acl.props, "ingress")) if is_map(block)]
    for rule in of_type(resources, NETWORK_ACL_RULE):
        egress = peek(rule.props, "egress")
        if is_true(egress):
            continue
        value = peek(rule.props, "networkAclId")
        named, maybe = referenced(rule, "networkAclId", [value], acls, keys=("id", "defaultNetworkAclId"))
        vpc = None if named else vpc_default_of(rule, vpcs, "networkAclId", "defaultNetworkAclId")[0]
        # A stack ACL, a VPC's default one (`_default_acl`), or another stack's by its id; an ACL that cannot be told
        # is None, and may be any entry's.
        if vpc is not None:
            acl = _default_acl(vpc, resources)
        else:
            acl = None if maybe else named[0].urn if named else value if isinstance(value, str) else None
        found.append(_entry(rule, "", acl, None if egress is UNKNOWN else True, rule.props,
                            "ruleNumber", "ruleAction"))
    return found


def _before(entry: Entry, other: Entry) -> Optional[bool]:
    """Whether `other` is evaluated before `entry`: in the same ACL with a lower number (None: can't tell)."""
    if entry.acl is not None and other.acl is not None and entry.acl != other.acl:
        return False
    if UNKNOWN in (entry.number, other.number) or entry.number is None or other.number is None:
        return None
    if other.number >= entry.number:
        return False
    return True if entry.acl is not None and other.acl is not None else None


def _denied_first(entry: Entry, transport: str, port: int, all_entries: list[Entry]) -> Optional[bool]:
    """Whether entries evaluated before `entry` deny all its internet traffic of `transport` to `port`; None when an
    unknown value might make them."""
    certain, maybe = [], False
    for other in all_entries:
        if other is entry or other.action not in ("deny", UNKNOWN):
            continue
        before, match = _before(entry, other), other.matches(transport, port)
        if before is False or match is False or other.ingress is False:
            continue
        if None in (before, match, other.ingress) or UNKNOWN in (other.action, other.cidr):
            maybe = True
        elif isinstance(other.cidr, str):
            certain.append(other.cidr)
    # Only denies of the allowed CIDR's IP version count (an IPv6 block is the one with colons).
    same_family = [c for c in certain if (":" in c) == (":" in str(entry.cidr))]
    return True if internet_cidrs(same_family) else None if maybe else False


def _joint(entry: Entry, transport: str, port: int, all_entries: list[Entry]) -> Optional[bool]:
    """Whether the allow entries of `entry`'s ACL that match this traffic hold every public address of its IP version
    together, and `entry` still admits public ones: EC2 evaluates the entries lowest number first, each deciding the
    addresses no lower one matched, so an earlier deny takes its addresses from it (as for one entry, denies that
    keep out part of the internet do not close it). An entry takes one CIDR, so a team that splits `0.0.0.0/0` in
    halves writes two. None where an entry that may be of the ACL and may match has a value unknown until the
    update."""
    own = network_of(entry.cidr) if entry.acl is not None and isinstance(entry.cidr, str) else None
    if own is None:
        return None if entry.acl is None else False
    ordered = []
    for other in all_entries:
        match = other.matches(transport, port)
        if other.ingress is False or match is False or (other.acl is not None and other.acl != entry.acl):
            continue
        if None in (other.ingress, match, other.acl, other.number) or UNKNOWN in (other.number, other.action,
                                                                                  other.cidr):
            return None
        network = network_of(other.cidr) if isinstance(other.cidr, str) else None
        if network is not None and network.version == own.version:
            ordered.append((other.number, other, network))
    decided, mine = [], []
    for _, other, network in sorted(ordered, key=lambda item: item[0]):
        if other is entry:
            mine = without(network, decided)
        decided.append(network)
    allowed = [network for _, other, network in ordered if other.action == "allow"]
    return any(holds_public(n) for n in mine) and covers_the_internet(allowed, own.version)


def _admitted(entry: Entry, all_entries: list[Entry]) -> list[str]:
    """The administration ports (with their transport) an allow entry lets the internet reach: from its own source,
    or with other allow entries of its ACL whose sources add up to every public address (`_joint`, noted after the
    port); none while a verdict for one of them waits for the update (the list would change with it)."""
    if entry.ingress is not True or entry.action != "allow" or not isinstance(entry.cidr, str):
        return []
    alone = bool(internet_cidrs([entry.cidr]))

    def verdict(transport: str, port: int) -> Optional[bool]:
        if not alone:
            return _joint(entry, transport, port, all_entries)
        match = entry.matches(transport, port)
        if not match:
            return match  # False, or None while unknown
        denied = _denied_first(entry, transport, port, all_entries)
        return None if denied is None else not denied

    verdicts = {(port, t): verdict(t, port) for port in ADMIN_PORTS for t in _TRANSPORTS}
    if None in verdicts.values():
        return []
    open_ = []
    for port, service in ADMIN_PORTS.items():
        transports = [t for t in _TRANSPORTS if verdicts[port, t]]
        if transports:
            # The other entries are not named: one whose values wait for the update would change the text.
            with_ = "" if alone else " (with the ACL's other allow entries, every public address)"
            open_.append(f"{'/'.join(transports)} {port} ({service}){with_}")
    return open_


@stack_policy(
    "ec2-networkacl-no-public-admin-ports", (*NETWORK_ACLS, NETWORK_ACL_RULE),
    description="Network ACLs must not let the internet reach the remote administration ports (SSH 22, RDP 3389) "
                "of every instance in their subnets.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EC2.21", "Config nacl-no-unrestricted-ssh-rdp"),
)
def no_public_admin_ports(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no ingress entry (inline `ingress[]` on a `NetworkAcl` or adopted `DefaultNetworkAcl`, or a `NetworkAclRule`
    whose `egress` is not true) with action allow and a source of `0.0.0.0/0` or `::/0` (however written), or with
    other allow entries of its ACL whose sources add up to every public address (`0.0.0.0/1` and `128.0.0.0/1`; one
    adding only private addresses is not reported), matches TCP or UDP port 22 or 3389 (protocol -1/all, tcp/6 or
    udp/17 with a port range holding it), unless entries of the same ACL (a `NetworkAclRule` naming a VPC's
    `defaultNetworkAclId` is in that VPC's default ACL, with an adopting `DefaultNetworkAcl`'s entries) with lower
    rule numbers deny that traffic from every public address first (so a return-traffic range such as tcp 1024-65535
    needs a deny of 3389 before it); an entry, or an earlier deny, with an unknown value that might decide is not
    judged (for any of the ports: the list would change)"""
    all_entries = entries(args.resources)
    for entry in all_entries:
        open_ = _admitted(entry, all_entries)
        if open_:
            yield (f"{entry.describe()} admits {entry.cidr} to {', '.join(open_)}: anyone on the "
                   "internet can try to log in to every instance in the ACL's subnets; remove the entry, narrow "
                   "its CIDR to the networks that administer them (or use Session Manager), or deny these ports "
                   "from everywhere at a lower rule number"), entry.holder.urn
