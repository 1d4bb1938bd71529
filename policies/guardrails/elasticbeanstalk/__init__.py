"""Elastic Beanstalk guardrails: environments report enhanced health, take managed platform updates and stream their
instances' logs to CloudWatch Logs, as their option settings say."""
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
