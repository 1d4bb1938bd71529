"""Security group rules in one shape, whichever resource declares them.

Three kinds of resource carry rules: inline `ingress[]`/`egress[]` blocks on `aws:ec2/securityGroup:SecurityGroup`
and on a VPC's adopted `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup` (`protocol`, `cidrBlocks[]`,
`ipv6CidrBlocks[]`, `securityGroups[]`, `self`, `prefixListIds[]`), the standalone
`aws:vpc/securityGroupIngressRule`/`EgressRule` (`ipProtocol`, `cidrIpv4`, `cidrIpv6`, `referencedSecurityGroupId`,
`prefixListId`) and the older `aws:ec2/securityGroupRule` (`type`, `protocol`, `cidrBlocks[]`, `ipv6CidrBlocks[]`,
`sourceSecurityGroupId`, `self`). A standalone rule names its group by `securityGroupId`; `Rule.group` is that
group's resource when the stack shows it, and `Rule.vpc_default` the VPC when it is a VPC's own default group, named
through the VPC's `defaultSecurityGroupId` output. A rule's prefix lists count as the CIDRs the stack puts in them.
A VPC's default group and the DefaultSecurityGroup adopting it are one group, however a rule or a resource's list of
groups names it (`default_group_key`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterator, Optional

from ..core.addresses import internet_cidrs, network_of
from ..core.props import UNKNOWN, has_text, is_map, is_true, num, number, peek, peek_items
from ..core.stack import link_state, made_from, of_type, once_per_stack, referenced, same_value
from . import (DEFAULT_SECURITY_GROUP, EGRESS_RULE, INGRESS_RULE, NATIVE_EGRESS_RULE, NATIVE_INGRESS_RULE,
               SECURITY_GROUP_RULE, SECURITY_GROUPS, VPC, VPCS, default_key, names_vpc)

PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList"
PREFIX_LIST_ENTRY = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"

ALL_PROTOCOLS = ("-1", "all")


class Traffic:
    """The protocol and ports a rule, or a stretch of a group's rules, admits."""

    protocol: str
    from_port: Any
    to_port: Any

    @property
    def ports(self) -> str:
        if self.protocol in ALL_PROTOCOLS:
            return "all traffic"
        low, high = ("?" if p is UNKNOWN else num(p) for p in (self.from_port, self.to_port))
        return f"{self.protocol} {low}" if low == high else f"{self.protocol} {low}-{high}"

    def only_port(self, port: int) -> bool:
        return self.protocol == "tcp" and self.from_port == port and self.to_port == port

    def may_be_only_port(self, port: int) -> bool:
        """`only_port` once its unknown parts are known (`protocol_name` gives `?` for an unknown protocol): what is
        known of it does not already rule it out."""
        return (self.protocol in ("tcp", "?") and self.from_port in (port, UNKNOWN)
                and self.to_port in (port, UNKNOWN))


@dataclass(frozen=True)
class Joint(Traffic):
    """Where a group's rules together admit every public address, though none does alone (0.0.0.0/1 in one,
    128.0.0.0/1 in another: the vpc rule resources take one CIDR each): the blocks, and the protocol and ports the
    rules share."""

    cidrs: tuple[str, ...]
    protocol: str
    from_port: Any
    to_port: Any


@dataclass(frozen=True)
class Rule(Traffic):
    holder: Any              # the resource that declares the rule (reported on)
    label: str               # e.g. "ingress[0]" or "the rule" for a standalone rule resource
    direction: str           # "ingress" | "egress"
    protocol: str
    from_port: Any
    to_port: Any
    cidrs: tuple[str, ...]   # IPv4 and IPv6 CIDRs (known values only)
    group: Optional[Any]     # the security group resource the rule belongs to, when known
    group_maybe: bool        # the group might be another resource (an unknown id)
    vpc_default: Optional[Any] = None  # the VPC whose own default group the rule is in, by its defaultSecurityGroupId
    named_id: Optional[str] = None     # the id a standalone rule names a group made outside the stack by
    joint: Optional[Joint] = None      # a part of its group's rules that admit every public address together
    vague: bool = False                # a CIDR or prefix list unknown until the update
    group_id: Any = None               # what a standalone rule names its group by, as written (maybe UNKNOWN)
    default_key: Optional[str] = None  # vpc_default's group as `default_group_key` keys it
    adopter: Optional[Any] = None      # the DefaultSecurityGroup adopting vpc_default's group (`default_adopter`)

    @property
    def group_unknown(self) -> bool:
        """A standalone rule whose group id is unknown until the update (`group_maybe` says whether it may be one of
        the stack's groups)."""
        return self.group is None and self.vpc_default is None and self.group_id is UNKNOWN

    @property
    def group_key(self) -> Optional[str]:
        """The rule's group as `attached_keys` gives it: its URN (a VPC's default group's `default_group_key`), or the
        id of a group made outside the stack."""
        if self.group is not None:
            return self.group.urn
        return self.default_key if self.vpc_default is not None else self.named_id

    @property
    def group_label(self) -> Optional[str]:
        """The rule's group as a message names it: a VPC's default group as `default_group_name` does, however the rule
        names it (inline, by the adopter's id or by the VPC's `defaultSecurityGroupId`); another by its first name
        (`group_names`) or the id the rule gives it; None while the update may change it: the adopter that would name
        it is unknown (`default_key` None), or the id written out may name one of the stack's groups (`group_maybe`)."""
        if self.group is not None and self.group.resource_type == DEFAULT_SECURITY_GROUP:
            return default_group_name(None, self.group)
        if self.group is not None:
            return f"security group {group_names(self.group)[0]}"
        if self.vpc_default is not None:
            return None if self.default_key is None else default_group_name(self.vpc_default, self.adopter)
        if self.named_id is not None:  # an id written out, which may name one of the stack's groups once read
            return None if self.group_maybe else f"security group {self.named_id}"
        return "its security group"

    def describe(self) -> str:
        where = "" if self.label == "the rule" else f" {self.label}"
        return f"{self.direction} rule{where} ({self.ports})"

    @property
    def exposure(self) -> Optional[Traffic]:
        """What of the rule reaches every public address (`internet_cidrs`): the rule itself, or the stretch it
        shares with its group's other rules; None."""
        return self if internet_cidrs(self.cidrs) else self.joint

    def admits(self) -> str:
        """The blocks that make up every public address, written for a finding."""
        own = internet_cidrs(self.cidrs)
        if own or self.joint is None:
            return ", ".join(own)
        return f"{', '.join(self.joint.cidrs)} with its group's other rules on {self.joint.ports}"


def _cidrs(*values: list) -> tuple[str, ...]:
    return tuple(c for items in values for c in items if isinstance(c, str))


def _vague(*values: list) -> bool:
    return any(UNKNOWN in items for items in values)


# IP protocol numbers AWS takes for the names (tcp is 6): a rule reads the same whichever was written.
_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def protocol_name(value: Any) -> str:
    """The rule's protocol as one name (`tcp`, `icmpv6`, `-1`), `?` when unknown."""
    if value is None or value is UNKNOWN:
        return "?"
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).lower()
    return _PROTOCOL_NAMES.get(text, text)


def _listed_cidrs(holder: Any, prop_name: Optional[str], ids: list, resources: list) -> tuple[str, ...]:
    """The CIDRs of the stack's managed prefix lists a rule names (`ids`, through `holder.<prop_name>`), in their
    `entries` and in standalone ManagedPrefixListEntry resources. `prop_name` None: by known ids alone (an inline
    block whose property's dependencies other blocks share; a first preview may then see fewer, never more)."""
    lists = of_type(resources, PREFIX_LIST)
    if not lists or not ids:
        return ()
    if prop_name is None:
        named = {i for i in ids if isinstance(i, str)}
        found = [pl for pl in lists if peek(pl.props, "id") in named or peek(pl.props, "arn") in named]
    else:
        found, _ = referenced(holder, prop_name, ids, lists, keys=("id", "arn"), assigned=True,
                              many=prop_name.endswith("Ids"))
    cidrs = []
    for prefix_list in found:
        cidrs += [peek(entry, "cidr") for entry in peek_items(prefix_list.props, "entries") if is_map(entry)]
        for entry in of_type(resources, PREFIX_LIST_ENTRY):
            if referenced(entry, "prefixListId", [peek(entry.props, "prefixListId")], [prefix_list], keys=("id",),
                          assigned=True)[0]:
                cidrs.append(peek(entry.props, "cidr"))
    return _cidrs(cidrs)


def rules(resources: list) -> Iterator[Rule]:
    """Every rule in the stack, in one shape; worked out once per stack, as four stack policies ask."""
    return iter(once_per_stack(resources, "security-group-rules", lambda items: _with_joints(tuple(_rules(items)))))


# Protocols whose rules name ports (ICMP: a type and a code).
_PORTED = ("tcp", "udp", "icmp", "icmpv6")


def _known(*ports: Any) -> bool:
    return all(isinstance(p, (int, float)) for p in ports)


def _stretches(members: list[Rule]) -> Iterator[tuple[Joint, list[Rule]]]:
    """Each stretch of protocol and ports a group's rules admit alike (no CIDRs yet), with the rules that admit all
    of it: every port of a protocol is cut where a rule's range starts or ends. A rule of unknown protocol or ports is
    in none: an unknown value is never a violation."""
    every = [r for r in members if r.protocol in ALL_PROTOCOLS]
    yield Joint((), "-1", 0, 0), every
    by_protocol: dict[str, list[Rule]] = {}
    for rule in members:
        if rule.protocol not in (*ALL_PROTOCOLS, "?") and (rule.protocol not in _PORTED or
                                                          _known(rule.from_port, rule.to_port)):
            by_protocol.setdefault(rule.protocol, []).append(rule)
    for protocol, own in sorted(by_protocol.items()):
        if protocol in ("tcp", "udp"):
            cuts = sorted({int(r.from_port) for r in own} | {int(r.to_port) + 1 for r in own})
            for low, end in zip(cuts, cuts[1:]):
                yield Joint((), protocol, low, end - 1), every + [r for r in own if r.from_port <= low
                                                                  and end - 1 <= r.to_port]
        elif protocol in ("icmp", "icmpv6"):  # type and code; -1 is every one
            for kind, code in sorted({(r.from_port, r.to_port) for r in own if _known(r.from_port, r.to_port)}):
                yield Joint((), protocol, kind, code), every + [r for r in own if r.from_port in (-1, kind)
                                                                and r.to_port in (-1, code)]
        else:  # no ports
            yield Joint((), protocol, 0, 0), every + own


def _share(cidr: str) -> float:
    """How much of its IP version's addresses a block holds."""
    network = network_of(cidr)
    return 0.0 if network is None else network.num_addresses / 2 ** network.max_prefixlen


def _enough(rules: list[Rule]) -> Optional[list[Rule]]:
    """The fewest of the rules, largest blocks first, whose CIDRs add up to every public address; None if all of
    them do not."""
    ranked = sorted(rules, key=lambda r: -max((_share(c) for c in r.cidrs), default=0.0))
    if not internet_cidrs([c for r in ranked for c in r.cidrs]):
        return None
    low, high = 1, len(ranked)  # the shortest prefix that covers: covering only grows with the prefix
    while low < high:
        middle = (low + high) // 2
        if internet_cidrs([c for r in ranked[:middle] for c in r.cidrs]):
            high = middle
        else:
            low = middle + 1
    return ranked[:low]


def _with_joints(found: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The rules, each that is a part of its group's rules admitting every public address together (same
    direction, on a stretch of protocol and ports they all admit) given `joint`, the first such stretch. A stretch
    where one rule is whole by itself is that rule's finding; its neighbours (a private block beside 0.0.0.0/0) are
    no part."""
    # A first preview finds no more than a full one: where an unknown could put a whole rule on a group's stretch
    # (its CIDRs, protocol, ports, direction or group unknown), that group's rules are not joined.
    if any(r.group_key is None and r.group_maybe for r in found):
        return found
    by_group: dict[tuple, list[Rule]] = {}
    unsure: set[tuple] = set()
    for rule in found:
        if rule.group_key is None:
            continue
        directions = (rule.direction,) if rule.direction in ("ingress", "egress") else ("ingress", "egress")
        for direction in directions:
            by_group.setdefault((rule.group_key, direction), []).append(rule)
            if len(directions) > 1 or rule.vague or rule.protocol == "?" or (
                    rule.protocol in _PORTED and not _known(rule.from_port, rule.to_port)):
                unsure.add((rule.group_key, direction))
    joints: dict[int, Joint] = {}
    for key, members in by_group.items():
        members = [r for r in members if r.cidrs]
        # No stretch's rules add up to what the group's all do not: one check leaves most groups out.
        if key in unsure or len(members) < 2 or not internet_cidrs([c for r in members for c in r.cidrs]):
            continue
        whole = {id(r) for r in members if internet_cidrs(r.cidrs)}
        for stretch, on in _stretches(members):
            if len(on) < 2 or any(id(r) in whole for r in on):
                continue
            part = _enough(on)
            for rule in part or ():
                blocks = internet_cidrs([*rule.cidrs, *(c for other in part if other is not rule for c in other.cidrs)])
                joints.setdefault(id(rule), replace(stretch, cidrs=tuple(blocks)))
    return tuple(replace(rule, joint=joints[id(rule)]) if id(rule) in joints else rule for rule in found)


def _read_by_the_update(groups: list, vpcs: list) -> bool:
    """Whether a DefaultSecurityGroup's id, unknown until the update, may be one EC2 made before it (the default
    VPC's group, or another stack's VPC's): an id written out may name it, unlike one a VPC the stack creates gets."""
    return any(g.resource_type == DEFAULT_SECURITY_GROUP and peek(g.props, "id") is UNKNOWN
               and not any(v.resource_type == VPC and names_vpc(g, v) for v in vpcs) for g in groups)


def _rules(resources: list) -> Iterator[Rule]:
    groups = of_type(resources, *SECURITY_GROUPS)
    vpcs = of_type(resources, *VPCS)
    unread = _read_by_the_update(groups, vpcs)
    for group in groups:
        for direction in ("ingress", "egress"):
            blocks = peek_items(group.props, direction)
            # The property's dependencies tell which lists its blocks name, not which block names which.
            naming = [b for b in blocks if is_map(b) and peek_items(b, "prefixListIds")]
            through = direction if len(naming) == 1 else None
            for i, block in enumerate(blocks):
                if is_map(block):
                    sources = [peek_items(block, k) for k in ("cidrBlocks", "ipv6CidrBlocks", "prefixListIds")]
                    listed = _listed_cidrs(group, through, sources[2], resources)
                    yield Rule(group, f"{direction}[{i}]", direction, protocol_name(peek(block, "protocol")),
                               number(peek(block, "fromPort")), number(peek(block, "toPort")),
                               _cidrs(*sources[:2], listed), group, False, vague=_vague(*sources))
    for holder in of_type(resources, *_STANDALONE):
        shape = _STANDALONE[holder.resource_type]
        named = peek(holder.props, shape.group)
        found, maybe = referenced(holder, shape.group, [named], groups, keys=("id", "arn"), assigned=True)
        group = found[0] if found else None
        maybe = maybe or (group is None and unread and has_text(named))
        if group is not None and _through_vpc(holder, group, shape.group, vpcs):
            group = None  # the VPC's default group, as a first preview names it
        direction = shape.direction or str(peek(holder.props, "type"))
        sources = [peek_items(holder.props, k) for k in shape.sources]
        listed = _listed_cidrs(holder, shape.sources[2], sources[2], resources)
        cidrs = _cidrs(*sources[:2], listed)
        vpc_default, unsure = vpc_default_of(holder, vpcs, shape.group) if group is None else (None, False)
        default_key, adopter = default_group(vpc_default, resources) if vpc_default is not None else (None, None)
        maybe = maybe or unsure or (vpc_default is not None and default_key is None)
        yield Rule(holder, "the rule", direction, protocol_name(peek(holder.props, shape.protocol)),
                   number(peek(holder.props, "fromPort")), number(peek(holder.props, "toPort")), cidrs, group, maybe,
                   vpc_default, named if group is None and vpc_default is None and has_text(named) else None,
                   vague=_vague(*sources), group_id=named, default_key=default_key, adopter=adopter)


@dataclass(frozen=True)
class _RuleShape:
    """Where a one-rule resource keeps its group, direction (None: its `type`), protocol and sources (IPv4 CIDRs,
    IPv6 CIDRs, prefix lists)."""
    group: str
    direction: Optional[str]
    protocol: str
    sources: tuple[str, str, str]


_STANDALONE = {
    SECURITY_GROUP_RULE: _RuleShape("securityGroupId", None, "protocol",
                                    ("cidrBlocks", "ipv6CidrBlocks", "prefixListIds")),
    INGRESS_RULE: _RuleShape("securityGroupId", "ingress", "ipProtocol", ("cidrIpv4", "cidrIpv6", "prefixListId")),
    EGRESS_RULE: _RuleShape("securityGroupId", "egress", "ipProtocol", ("cidrIpv4", "cidrIpv6", "prefixListId")),
    NATIVE_INGRESS_RULE: _RuleShape("groupId", "ingress", "ipProtocol", ("cidrIp", "cidrIpv6", "sourcePrefixListId")),
    NATIVE_EGRESS_RULE: _RuleShape("groupId", "egress", "ipProtocol",
                                   ("cidrIp", "cidrIpv6", "destinationPrefixListId")),
}


def default_group_key(vpc: Any, resources: list) -> Optional[str]:
    """What keys a VPC's own default security group, whether named by the VPC's `defaultSecurityGroupId` or by the
    DefaultSecurityGroup adopting it (terraform-provider-aws sets the adopter's id to that group's): the adopter's
    URN, as its inline rules are keyed, else the VPC's; None while one may adopt it by a `vpcId` only the update
    tells (`adopting`), as `network_acl._default_acl` keys a VPC's default ACL."""
    return default_group(vpc, resources)[0]


def default_group(vpc: Any, resources: list) -> tuple[Optional[str], Optional[Any]]:
    """`default_group_key`, and the DefaultSecurityGroup it follows from, if one is found (`default_key`)."""
    return default_key(resources, vpc, DEFAULT_SECURITY_GROUP, "vpcId", "id", vpc.urn)


def default_group_name(vpc: Optional[Any], adopter: Optional[Any]) -> str:
    """How a message names a VPC's own default security group, one name however a rule or list names it: by the
    DefaultSecurityGroup adopting it, else by its VPC."""
    return (f"default security group {adopter.name}" if adopter is not None
            else f"VPC {vpc.name}'s default security group")


def vpc_default_of(holder: Any, vpcs: list, group_prop: str = "securityGroupId",
                   output: str = "defaultSecurityGroupId") -> tuple[Optional[Any], bool]:
    """The VPC whose own default group a standalone rule (or an exclusive rule list) names (in `group_prop`) by the
    VPC's `defaultSecurityGroupId` output: made from the VPC (the one group a VPC's outputs give; a group looked up
    by the VPC's id would count too, a rare reach), or its known id written out; and, where none is, whether one
    may be (`link_state`: an id picked among several VPCs' default groups, not known yet). With `output`
    `defaultNetworkAclId`, the same for a VPC's default network ACL."""
    named, unsure = peek(holder.props, group_prop), False
    for vpc in vpcs:
        state = link_state(holder, vpc, group_prop)
        if state or same_value(named, peek(vpc.props, output)):
            return vpc, False
        # An id picked among several VPCs' default groups, or made from the VPC through another resource (an
        # instance launched without groups is in its VPC's default one, and so is an endpoint): the update tells.
        unsure = unsure or state is None or (named is UNKNOWN and made_from(holder, group_prop, vpc, assigned=True))
        # An id written out may be the default VPC's group's, which a first preview that adopts the VPC does not read.
        unsure = unsure or (has_text(named) and vpc.resource_type != VPC and peek(vpc.props, output) is UNKNOWN)
    return None, unsure


def group_names(group: Any) -> list[str]:
    """What a policy config may call a group by: its name, resource name, Name tag and id."""
    names = [peek(group.props, "name"), peek(group.props, "namePrefix"), group.name,
             peek(group.props, "tags", "Name"), peek(group.props, "id")]
    return [n for n in names if has_text(n)]


# How a list names its groups: by id (or ARN), which EC2 makes up; or by name as well (an instance's
# `securityGroups`, which a program writes before the group exists).
BY_ID = ("id", "arn")
BY_NAME = ("id", "arn", "name")


# A security group's ARN written out (DataSync's `securityGroupArns`): arn:<partition>:ec2:<region>:<account>:
# security-group/<id>.
_GROUP_ARN = re.compile(r"arn:[a-z-]+:ec2:[a-z0-9-]*:[0-9]*:security-group/(sg-[0-9a-f]+)")


def group_id_of(value: Any) -> Any:
    """A listed group as its id: a group's ARN written out read as the id it ends in, by which rules, load balancers
    and a VPC's `defaultSecurityGroupId` name that group; anything else as it is."""
    found = _GROUP_ARN.fullmatch(value) if isinstance(value, str) else None
    return found.group(1) if found else value


# A path's last step where the field is one text naming its groups between commas, not a list: an EMR cluster's
# `additionalMasterSecurityGroups` (terraform-provider-aws splits it on commas and trims each part), an Elastic
# Beanstalk option's value.
COMMAS = ","


@dataclass(frozen=True)
class Prefixed:
    """A path's last step where the field is one group's id after a prefix: a Lambda event source mapping's
    `security_group:<id>` URI."""
    prefix: str


def group_items(props: Any, path: tuple) -> list:
    """The groups a resource lists at `path` (`peek_items`); a text that `COMMAS` ends the path with, its parts between
    commas, trimmed, the empty ones left out; one that a `Prefixed` ends it with, what follows the prefix (a text
    without it as it is). An unknown text stays one unknown."""
    last = path[-1]
    if last != COMMAS and not isinstance(last, Prefixed):
        return peek_items(props, *path)
    items = peek_items(props, *path[:-1])
    if isinstance(last, Prefixed):
        return [i[len(last.prefix):] if isinstance(i, str) and i.startswith(last.prefix) else i for i in items]
    return [part for item in items
            for part in ([p.strip() for p in item.split(",") if p.strip()] if isinstance(item, str) else [item])]


def attached_groups(resource: Any, path: tuple, resources: list, keys: tuple = BY_ID) -> tuple[list, bool]:
    """The security groups a resource (load balancer, ECS service, endpoint) puts on its interfaces; `path`
    leads to its list of groups, named by `keys`. EC2 takes names only for the default VPC's groups ("[Default VPC]
    The names of the security groups" in RunInstances and its kin), so a name never means a group of a VPC the stack
    creates; names and ids alike mean groups of the resource's own region. A field that names none (left out, empty,
    a text of commas alone) holds none, though its block or list is made from groups its other fields name (an
    Elastic Beanstalk environment's load balancer's, in `settings`)."""
    items = group_items(resource.props, path)
    if not items:
        return [], False
    groups = of_type(resources, *SECURITY_GROUPS)
    if keys == BY_NAME:
        vpcs = of_type(resources, VPC)
        # Of the default VPC only: not in a VPC of the stack, nor made from one's id (picked among several).
        groups = [g for g in groups
                  if not referenced(g, "vpcId", [peek(g.props, "vpcId")], vpcs, keys=("id",))[0]
                  and all(link_state(g, vpc, "vpcId") is False for vpc in vpcs)]
    found, maybe = referenced(resource, path[0], items, groups, keys=keys,
                              assigned=keys == BY_ID, regional=True, many=True)
    vpcs = of_type(resources, *VPCS)
    return [g for g in found if not _through_vpc(resource, g, path[0], vpcs, many=True)], maybe


def _through_vpc(holder: Any, group: Any, prop: str, vpcs: list, many: bool = False) -> bool:
    """Whether `holder`'s `prop` names `group` by value alone, made from a VPC and not from the group: a VPC's
    `defaultSecurityGroupId`, whose known id an adopting DefaultSecurityGroup shares. A first preview, the id
    unknown, cannot match them, so a known one does not either: both previews name the VPC's default group."""
    return link_state(holder, group, prop, many=many) is False and any(
        link_state(holder, vpc, prop, many=many) for vpc in vpcs)


def listed_defaults(holder: Any, path: tuple, resources: list) -> tuple[list, list]:
    """The VPCs whose own default group a resource's list of group ids (`path`) holds by the VPC's
    `defaultSecurityGroupId`: its known id, or, where the list is a prop of its own, made from the VPC (as
    `vpc_default_of` reads a rule's group) item by item or from the VPC alone; and the VPCs whose default group it may
    hold: picked among several VPCs', a prop unknown as a whole that is made from another resource too
    (`Output.all(vpc.id, group.id).apply(...)` may give that group alone), or an unknown id in a block that is made
    from the VPC too, where another field may be what is (CodeBuild's `vpcConfig.vpcId`; a block's dependencies are
    all its fields')."""
    items = group_items(holder.props, path)
    # Its items are read one by one, or it is made from VPCs alone.
    itemwise = peek(holder.props, path[0]) is not UNKNOWN or {
        d.urn for d in holder.property_dependencies.get(path[0], [])} <= {v.urn for v in of_type(resources, *VPCS)}
    held, maybe = [], []
    for vpc in of_type(resources, *VPCS):
        state = link_state(holder, vpc, path[0], many=True)
        if any(same_value(group_id_of(i), peek(vpc.props, "defaultSecurityGroupId")) for i in items) or (
                state and len(path) == 1 and itemwise):
            held.append(vpc)
        elif state is None or (state and UNKNOWN in items):
            maybe.append(vpc)
    return held, maybe


def attached_keys(resource: Any, path: tuple, resources: list,
                  keys: tuple = BY_ID) -> tuple[list[str], bool, list]:
    """`attached_groups` as keys a Rule's `group_key` is compared with: the URNs of the stack's groups, a VPC's
    default group's `default_group_key` (`listed_defaults`; by id only), and the ids it lists of groups made outside
    the stack (another stack's, looked up, written out); whether an unknown might add one; and the VPCs whose
    default group an unknown may add (`listed_defaults`)."""
    found, maybe = attached_groups(resource, path, resources, keys)
    held, unsure = listed_defaults(resource, path, resources) if keys == BY_ID else ([], [])
    defaults = [default_group_key(vpc, resources) for vpc in held]
    # Their ids as text (only text is listed below; a map would not hash).
    theirs = {i for i in [*(peek(g.props, key) for g in found for key in keys),
                          *(peek(vpc.props, "defaultSecurityGroupId") for vpc in held)] if isinstance(i, str)}
    listed = [g.urn for g in found] + [k for k in defaults if k is not None] + [
        i for i in map(group_id_of, group_items(resource.props, path)) if has_text(i) and i not in theirs]
    return list(dict.fromkeys(listed)), maybe or bool(unsure) or None in defaults, unsure


def is_internet_facing(load_balancer: Any) -> bool:
    """A load balancer that is not internal (the API and provider default is internet-facing)."""
    return not is_true(peek(load_balancer.props, "internal"))
