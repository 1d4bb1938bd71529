"""Parameter groups (DocumentDB's, Neptune's, Redshift's and RDS DB instances') and a Redshift Serverless workgroup's
`configParameters`: which group a cluster (or DB instance) takes, and the value a group gives a parameter, read the
same way for every family that judges a database by its group's settings."""
from __future__ import annotations

from typing import Any, Iterator

from .props import UNKNOWN, is_map, num, peek, peek_items
from .stack import of_type, referenced

# What `cluster_parameter_group` answers for a cluster (or DB instance) on its engine's default parameter group
# (default.docdb5.0, default.neptune1.4, default.postgres16, ...), which cannot be modified and keeps each parameter's
# default.
DEFAULT_GROUP = "default"


def names_default_group(name: Any) -> bool:
    """Whether a cluster's group name leaves it on its engine's default group: left out, or empty (the provider then
    sends none), or one of AWS's default.* groups (the provider refuses a dot in a group's own name; for an RDS DB
    parameter group, which it lets have one, CreateDBParameterGroup does: letters, numbers and hyphens)."""
    return name is None or (isinstance(name, str) and (name == "" or name.lower().startswith("default.")))


def cluster_parameter_group(cluster: Any, prop_name: str, group_type: str, resources: list) -> Any:
    """The parameter group a cluster's (or DB instance's) `prop_name` gives it: DEFAULT_GROUP (`names_default_group`);
    the stack's group of `group_type` it names, by its name (which is its id, so a first preview, where ids are
    unknown, still matches it) or a property dependency; or None where that is not known: a group made elsewhere, one
    of several, or a name unknown until the update. AWS looks the name up in the database's region."""
    name = peek(cluster.props, prop_name)
    if names_default_group(name):
        return DEFAULT_GROUP
    found, maybe = referenced(cluster, prop_name, [name], of_type(resources, group_type), keys=("name",),
                              regional=True)
    return found[0] if len(found) == 1 and not maybe else None


def parameter_value(props: Any, name: str, entries: str = "parameters", key: str = "name",
                    value: str = "value") -> Any:
    """The value, in lower case, the list `entries` of `props` gives the parameter `name` (lower case), matched in any
    case: AWS names every parameter in lower case (audit_logs, tls, neptune_enable_audit_log, require_ssl), so no two
    differ in case alone and another spelling can only mean that parameter (or be refused). None where no entry names
    it (the group keeps the engine's default), UNKNOWN where an entry, its name or its value is unknown until the
    update (or of another shape than text, a number or a boolean, which the provider sends as its text: the bridge
    writes a boolean given for a text field as "true" or "false"), or where two entries give it different values:
    terraform-provider-aws keeps the entries as a set (its Redshift group's hashed by name and lower-cased value), so
    which one AWS applies last is not defined. A group's `parameters` hold `name` and `value`; a Redshift Serverless
    workgroup's `configParameters` `parameterKey` and `parameterValue`."""
    found = None
    for given in _given(props, name, entries, key, value):
        if given is UNKNOWN or found not in (None, given.lower()):
            return UNKNOWN
        found = given.lower()
    return found


def parameter_said(props: Any, name: str, entries: str = "parameters", key: str = "name",
                   value: str = "value") -> str:
    """For a message, the known value `parameter_value` reads, as the first entry naming `name` writes it (as the
    provider sends it: `"FALSE"`), followed by that reading where it differs (`"FALSE" (false)`)."""
    read = parameter_value(props, name, entries, key, value)
    written = next(iter(_given(props, name, entries, key, value)), read)
    return read if written == read else f'"{written}" ({read})'


def _given(props: Any, name: str, entries: str, key: str, value: str) -> Iterator[Any]:
    """The values, as text, of the entries of `entries` naming `name` in any case (a boolean as the bridge writes it,
    a number as its text); UNKNOWN for one whose name or value is unknown or of another shape."""
    for entry in peek_items(props, entries):
        given_name = peek(entry, key) if is_map(entry) else UNKNOWN
        if not isinstance(given_name, str):
            yield UNKNOWN
        elif given_name.lower() == name:
            given = peek(entry, value)
            if isinstance(given, bool):
                given = "true" if given else "false"
            elif isinstance(given, (int, float)):
                given = str(num(given))
            yield given if isinstance(given, str) else UNKNOWN
