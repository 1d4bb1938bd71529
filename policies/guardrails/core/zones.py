"""Availability Zone floors (Security Hub ELB.10, ELB.13, NetworkFirewall.1 and Lambda.5): the knob that sets the
floor and its reading, and how many zones a list of subnets or zones may span, counted the same way for every family
that reads one (Lambda.5 resolves its subnets' zones through the stack); and a DB cluster's instances in one zone
(RDS.15, Neptune.9)."""
from __future__ import annotations

from typing import Any, Optional

from .props import UNKNOWN, has_text, in_words, peek, peek_items
from .registry import config_value

KNOB = "minAvailabilityZones"


def floor_knob(config_rule: str, parameter: str = KNOB) -> dict:
    """The config schema of the floor: at least 2 zones, as AWS Config's `config_rule` asks by default with its
    `parameter`."""
    return {KNOB: {"type": "integer", "minimum": 2, "default": 2,
                   "description": f"Fewest Availability Zones the resource may span (AWS Config {config_rule}'s "
                                  f"{parameter})."}}


def short_of(args: Any, spans: Optional[int]) -> Optional[int]:
    """The floor `args`' policy sets, where a resource spanning at most `spans` zones is below it; None where it is
    not, or `spans` is None (nothing to judge)."""
    wanted = config_value(args, KNOB)
    return wanted if spans is not None and spans < wanted else None


def items(props: Any, key: str, item_key: Optional[str] = None) -> Optional[list]:
    """The items of `props[key]` (each item's `item_key`, where given), each UNKNOWN where unknown; None while the
    list as a whole is unknown."""
    if peek(props, key) is UNKNOWN:
        return None
    found = peek_items(props, key)
    return found if item_key is None else [UNKNOWN if item is UNKNOWN else peek(item, item_key) for item in found]


def span(values: Optional[list]) -> Optional[int]:
    """The most zones `values` (zones, or subnets where AWS takes one per zone) may span: each name once, an unknown
    one as a zone of its own, since it may be any; anything else (an item without its id, which AWS refuses) as
    none. None when there is nothing to judge: the list is unknown as a whole (None), or names nothing."""
    zones = {value for value in values or () if isinstance(value, str) and value} | {
        object() for value in values or () if value is UNKNOWN}
    return len(zones) or None


def cluster_in_one_zone(label: str, members: list, lone: str, fix: str) -> Optional[str]:
    """The finding of a DB cluster (`label`, "Aurora DB cluster db") whose `members`, the cluster instances of the
    stack that name it, are fewer than two (`lone` says what that costs) or all name one `availabilityZone`; None
    where they may be in two zones (a zone left out, unknown or of another shape may be elsewhere)."""
    if len(members) < 2:
        has = "no cluster instance" if not members else f"one cluster instance ({members[0].name})"
        return f"{label} has {has} in the stack: {lone}; {fix}"
    zones = [peek(member.props, "availabilityZone") for member in members]
    if all(has_text(zone) and zone == zones[0] for zone in zones):
        names = in_words([member.name for member in members])
        return (f"{label}'s cluster instances ({names}) are all in availabilityZone {zones[0]}: an outage there takes "
                f"every one of them down; {fix}")
    return None
