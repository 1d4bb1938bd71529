"""Elastic Beanstalk guardrails: environments report enhanced health, take managed platform updates and stream their
instances' logs to CloudWatch Logs, as their option settings say; what those settings say of an environment's load
balancer, for the security group policies."""
from __future__ import annotations

from typing import Any, Optional

from ..core.props import UNKNOWN, has_text, is_map, is_set, peek, peek_items

ENVIRONMENT = "aws:elasticbeanstalk/environment:Environment"
"""Elastic Beanstalk environments: terraform-provider-aws sends `setting` as CreateEnvironment's OptionSettings, and
`template_name` names a saved configuration whose settings apply where the environment's own do not."""

TEMPLATE = "aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate"
"""Saved configurations (configuration templates) an environment may name; `environment_id` copies an environment's
settings into one."""


def option_values(props: Any, namespace: str, name: str) -> Optional[list]:
    """The values an environment's or template's `settings` give an option (namespace and name in any case), [] where
    none names it; None where they do not decide it here: an entry that may name it is unknown until the update, or
    none names it and the settings build on others (an environment's `templateName`, whose template is judged on its
    own; a template's `environmentId`). Elastic Beanstalk applies an environment's own settings over its saved
    configuration's, and both over the source bundle's `.ebextensions`, which no policy can read."""
    values = []
    for entry in peek_items(props, "settings"):
        sets = _sets(entry, namespace, name)
        if sets is None:
            return None
        if sets:
            values.append(peek(entry, "value"))
    if UNKNOWN in values or (not values and (is_set(props, "templateName") or is_set(props, "environmentId"))):
        return None
    return values


def setting_positions(entries: list, namespace: str, name: str) -> list[int]:
    """The positions of the `settings` entries (`peek_items`) that surely set an option (namespace and name in any
    case, as `option_values` reads them)."""
    return [at for at, entry in enumerate(entries) if _sets(entry, namespace, name)]


def _sets(entry: Any, namespace: str, name: str) -> Optional[bool]:
    """Whether a `settings` entry sets the option; None where the entry, its namespace or its name is unknown."""
    if entry is UNKNOWN:
        return None
    if not is_map(entry):
        return False
    key = (peek(entry, "namespace"), peek(entry, "name"))
    if UNKNOWN in key:
        return None
    return all(isinstance(k, str) for k in key) and (key[0].lower(), key[1].lower()) == (namespace.lower(),
                                                                                          name.lower())


def switch_values(props: Any, namespace: str, name: str) -> Optional[list]:
    """`option_values` for an option a check reads as a word or a switch (`true`, `patch`): None also where a value is
    neither text nor a boolean (a number, a block), which no such check judges."""
    values = option_values(props, namespace, name)
    return values if values is not None and all(isinstance(v, (str, bool)) for v in values) else None


def shown(values: list, default: str) -> str:
    """An option's value as a message names it: the last one given, or `default` where none is."""
    return values[-1] if values and has_text(values[-1]) else (f"{values[-1]!r}" if values else default)


def may_set_unknown(props: Any, namespace: str, name: str) -> bool:
    """Whether a `settings` entry that may set the option, or the value of one that does, is unknown until the
    update (the whole list unknown among them)."""
    for entry in peek_items(props, "settings"):
        sets = _sets(entry, namespace, name)
        if sets is None or (sets and peek(entry, "value") is UNKNOWN):
            return True
    return False


# The namespace whose `SecurityGroups` option lists a dedicated load balancer's groups (ids between commas), by
# `aws:elasticbeanstalk:environment` `LoadBalancerType` (command-options-general): a Classic Load Balancer's
# `aws:elb:loadbalancer`, an Application Load Balancer's `aws:elbv2:loadbalancer`; a Network Load Balancer takes none.
BALANCER_GROUP_OPTIONS = {"classic": "aws:elb:loadbalancer", "application": "aws:elbv2:loadbalancer"}
_ENVIRONMENT_OPTIONS = "aws:elasticbeanstalk:environment"


def _word(props: Any, namespace: str, name: str, default: str) -> Optional[str]:
    """An option's last value in lower case, `default` where none is given; None where the settings do not decide it
    here (`switch_values`)."""
    values = switch_values(props, namespace, name)
    return None if values is None else str(values[-1] if values else default).lower()


def public_balancer(resource: Any, namespace: str) -> Optional[bool]:
    """Whether an environment (or each one launched from a saved configuration) has a dedicated internet-facing load
    balancer whose groups `namespace`'s `SecurityGroups` option names (`BALANCER_GROUP_OPTIONS`): a web server
    environment (`tier`, WebServer where left out; a worker has no load balancer) whose `aws:elasticbeanstalk:
    environment` `EnvironmentType` is LoadBalanced (the default; not SingleInstance), whose `LoadBalancerType` (classic
    where left out) is the namespace's and whose `aws:ec2:vpc` `ELBScheme` is not internal (public where left out).
    None where a setting is unknown or decided elsewhere (`option_values`), or where the load balancer is shared
    (`LoadBalancerIsShared`, false where left out): Elastic Beanstalk puts the groups on it, but whether it faces the
    internet is its own scheme, a resource of its own (maybe another stack's)."""
    props = resource.props
    tier = peek(props, "tier")
    kind = _word(props, _ENVIRONMENT_OPTIONS, "LoadBalancerType", "classic")
    shared = _word(props, _ENVIRONMENT_OPTIONS, "LoadBalancerIsShared", "false")
    answers = [
        None if tier is UNKNOWN else not (isinstance(tier, str) and tier.lower() == "worker"),
        _differs(_word(props, _ENVIRONMENT_OPTIONS, "EnvironmentType", "LoadBalanced"), "singleinstance"),
        None if kind is None else BALANCER_GROUP_OPTIONS.get(kind) == namespace,
        _differs(_word(props, "aws:ec2:vpc", "ELBScheme", "public"), "internal") if shared == "false" else None]
    return False if False in answers else (None if None in answers else True)


def _differs(value: Optional[str], other: str) -> Optional[bool]:
    return None if value is None else value != other
