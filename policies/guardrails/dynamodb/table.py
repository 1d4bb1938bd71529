"""DynamoDB tables: deletion protection, point-in-time recovery for data that outlives a bad write, and capacity
that follows demand."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import UNKNOWN, all_of, any_of, is_map, is_true, number, peek, peek_items
from ..core.registry import ADVISORY, knob_names, resource_policy, stack_policy, string_list
from ..core.stack import elsewhere, links_to, of_type, refers_to, same_place
from . import (GLOBAL_SECONDARY_INDEX, NATIVE_SCALABLE_TARGET, NATIVE_SCALING_POLICY, SCALABLE_TARGET, SCALING_POLICY,
               TABLE, TABLE_REPLICA)

EXEMPT_TABLES = {"exemptTables": string_list(
    "Table names (or resource names; shell-style wildcards) this rule does not apply to: tables whose items are "
    "short-lived and rebuilt from elsewhere; say why next to the config.")}


def _copies(args: ResourceValidationArgs) -> Iterator[tuple[str, Any, bool]]:
    """The table and each of its global table replicas, as (where, settings, whether a replica): a replica is a table
    in its own region, and pulumi-aws leaves its deletion protection and point-in-time recovery off unless asked,
    whatever the table's. A TableReplica resource is one replica; an inline replica not known yet is not judged."""
    yield "", args.props, args.resource_type == TABLE_REPLICA
    if args.resource_type == TABLE:
        for i, replica in enumerate(peek_items(args.props, "replicas")):
            if is_map(replica):
                region = peek(replica, "regionName")
                where = f"replicas[{i}] ({region if isinstance(region, str) else 'region not known yet'}): "
                yield where, replica, True


def _table_name(args: ResourceValidationArgs) -> Any:
    """The table's name: its own `name`, or a TableReplica's global table's (`table/<name>` in its ARN)."""
    if args.resource_type != TABLE_REPLICA:
        return peek(args.props, "name")
    arn = peek(args.props, "globalTableArn")
    return arn.rsplit(":table/", 1)[-1] if isinstance(arn, str) else arn


@resource_policy(
    "dynamodb-table-deletion-protection", (TABLE, TABLE_REPLICA),
    description="DynamoDB tables should have deletion protection on: DeleteTable then fails until it is turned off, "
                "so neither a destroy nor a replacement loses the data by mistake.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub DynamoDB.6", "Config dynamodb-table-deletion-protection-enabled"),
)
def deletion_protection(args: ResourceValidationArgs) -> Iterator[str]:
    """`deletionProtectionEnabled` is true on the table, each `replicas[]` entry and each TableReplica; an unknown
    one is not judged"""
    for where, settings, replica in _copies(args):
        enabled = peek(settings, "deletionProtectionEnabled")
        if enabled is not UNKNOWN and not is_true(enabled):
            yield (f"{where}deletionProtectionEnabled is not true; a destroy or a replacement deletes the "
                   f"{'replica' if replica else 'table'} and its items")


@resource_policy(
    "dynamodb-table-point-in-time-recovery", (TABLE, TABLE_REPLICA),
    description="DynamoDB tables must have point-in-time recovery on, so a bad deploy, a bug or a compromised "
                "credential that overwrites or deletes items can be rolled back to any second of the last 35 days.",
    severity=Severity.MEDIUM, config=EXEMPT_TABLES,
    anchors=("Security Hub DynamoDB.2", "Config dynamodb-pitr-enabled", "CKV_AWS_28"),
)
def point_in_time_recovery(args: ResourceValidationArgs) -> Iterator[str]:
    """`pointInTimeRecovery.enabled` is true (DynamoDB keeps no continuous backups unless asked), and
    `pointInTimeRecovery` on each `replicas[]` entry and each TableReplica (knob `exemptTables`, by the table's name
    or a TableReplica's global table's, or by resource name); an unknown value or table name is not judged"""
    if knob_names(args, "exemptTables", _table_name(args)):
        return
    for where, settings, replica in _copies(args):
        # The table's setting is a block; a replica's is a switch.
        enabled = peek(settings, "pointInTimeRecovery") if replica else peek(settings, "pointInTimeRecovery", "enabled")
        if enabled is UNKNOWN or is_true(enabled):
            continue
        if replica:
            yield (f"{where}pointInTimeRecovery is not true; set it so the replica can be restored to any second of "
                   f"the last 35 days (a replica's own switch: the table's does not reach it)")
        else:
            yield ("pointInTimeRecovery.enabled is not true; set it (pointInTimeRecovery={enabled: true}) so the table "
                   "can be restored to any second of the last 35 days, or name a table of short-lived items in "
                   "exemptTables")


CAPACITIES = {"ReadCapacityUnits": "read", "WriteCapacityUnits": "write"}
SCALING_LINKS = ("resourceId", "scalableDimension", "serviceNamespace")


def _known(value: Any, wanted: Any) -> Optional[bool]:
    """Whether a value is the wanted one: None (can't tell) while it is unknown."""
    return None if value is UNKNOWN else value == wanted


def _resource_id(target: Any) -> tuple[Any, Any]:
    """The table and index (None: the table itself) a scalable target's `resourceId` (`table/<table>` or
    `table/<table>/index/<index>`) names; UNKNOWN for both while it is unknown, None for both if it names no table."""
    value = peek(target.props, "resourceId")
    if value is UNKNOWN:
        return UNKNOWN, UNKNOWN
    parts = value.split("/") if isinstance(value, str) else []
    if len(parts) == 2 and parts[0] == "table":
        return parts[1], None
    if len(parts) == 4 and parts[0] == "table" and parts[2] == "index":
        return parts[1], parts[3]
    return None, None


def _names_table(target: Any, table: Any) -> Optional[bool]:
    """Whether a scalable target's `resourceId` names the table: a property dependency on it, or its known name;
    None while the id or the name is unknown and no link says. An unknown id names another table only when the
    table's name is known and `refers_to` rules the table out: the id is made neither from the table (directly or
    through what is made from it) nor from what its name is made from (a random suffix). Table names and resource ids
    are one account's one region's: a target in another region (its provider's, or its own `region`) or account
    registers another table."""
    if elsewhere(target, table):
        return False
    named, _ = _resource_id(target)
    name = peek(table.props, "name")
    if isinstance(named, str) and isinstance(name, str):
        return named == name  # a known id names its table, whatever else it was made from
    if links_to(target, table, "resourceId"):
        return True
    if named is None:
        return False
    if not isinstance(name, str):
        return None
    if named is UNKNOWN:
        return refers_to(target, "resourceId", [named], table, keys=("name",))
    return named == name


def _scales(target: Any) -> Optional[bool]:
    """Whether a scalable target's range lets capacity move: a known maxCapacity above minCapacity."""
    low, high = number(peek(target.props, "minCapacity")), number(peek(target.props, "maxCapacity"))
    if UNKNOWN in (low, high):
        return None
    return low is None or high is None or high > low


def _may_match(policy: Any, target: Any, table: Any, key: str) -> Optional[bool]:
    """Whether a policy's `key` (resourceId, scalableDimension) may be the target's: False for known values that
    differ, and for an unknown one that, by its property dependencies (`refers_to`), can carry neither the target's
    value nor, for a resourceId, the table's name (a resourceId made from another table, a dimension from another
    target); None while it might (made from another stack's output, or as the target's: `table.name.apply(...)` for
    both, or from another target of the table)."""
    given, wanted = peek(policy.props, key), peek(target.props, key)
    if given is not UNKNOWN:
        return None if wanted is UNKNOWN else given == wanted
    answers = [refers_to(policy, key, [given], target, keys=(key,))]
    if key == "resourceId":
        answers.append(refers_to(policy, key, [given], table, keys=("name",)))
    return False if all(answer is False for answer in answers) else None


def _has_policy(target: Any, table: Any, policies: list) -> Optional[bool]:
    """Whether an Application Auto Scaling policy acts on the target: one linked to it (`resourceId =
    target.resource_id`, ...) or naming its resourceId and scalableDimension, in the target's account and region;
    None while one might."""
    def acts_on(policy: Any) -> Optional[bool]:
        if any(links_to(policy, target, key) for key in (*SCALING_LINKS, "scalingTargetId")):
            return True
        if elsewhere(policy, target):
            return False
        if policy.resource_type == NATIVE_SCALING_POLICY and peek(policy.props, "resourceId") is None:
            return refers_to(policy, "scalingTargetId", [peek(policy.props, "scalingTargetId")], target, keys=("id",))
        return all_of([_may_match(policy, target, table, key) for key in ("resourceId", "scalableDimension")])
    return any_of(acts_on(policy) for policy in policies)


def _scaled_by(target: Any, table: Any, index: Any, capacity: str, policies: list) -> Optional[bool]:
    """Whether a scalable target scales the table's (index None) or an index's `capacity` (ReadCapacityUnits,
    WriteCapacityUnits): True, False, or None (can't tell until the update). The policies are looked for last."""
    kind = "table" if index is None else "index"
    _, named_index = _resource_id(target)
    same_index = True if index is None else (None if named_index is UNKNOWN else named_index == index)
    answer = all_of([_known(peek(target.props, "serviceNamespace"), "dynamodb"),
                     _known(peek(target.props, "scalableDimension"), f"dynamodb:{kind}:{capacity}"),
                     _names_table(target, table), same_index, _scales(target)])
    return False if answer is False else all_of([answer, _has_policy(target, table, policies)])


def _index_names(table: Any, indexes: list) -> list[str]:
    """The table's global secondary indexes known so far: its `globalSecondaryIndexes[]` and the GlobalSecondaryIndex
    resources on it (linked to it by `tableName`, or naming it, in its account and region); an index not known yet is
    judged at the update."""
    entries = peek_items(table.props, "globalSecondaryIndexes")
    names = [peek(entry, "name") for entry in entries if entry is not UNKNOWN]
    table_name = peek(table.props, "name")
    for index in indexes:
        # By name only in the table's account and region as far as the stack says: one that may be elsewhere is not.
        if links_to(index, table, "tableName") or (
                isinstance(table_name, str) and peek(index.props, "tableName") == table_name
                and same_place(index, table) is True):
            names.append(peek(index.props, "indexName"))
    return [name for name in names if isinstance(name, str)]


@stack_policy(
    "dynamodb-table-autoscaling", TABLE,
    description="DynamoDB tables must scale their read and write capacity with demand: on-demand (PAY_PER_REQUEST), "
                "or provisioned with Application Auto Scaling on the table's and each global secondary index's read "
                "and write capacity, so a burst is not throttled.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub DynamoDB.1", "Config dynamodb-autoscaling-enabled"),
    anchor_note="scaling registered outside the stack (the console, another stack) is not seen",
)
def autoscaling(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """a table's `billingMode` is PAY_PER_REQUEST, or (PROVISIONED, the default) for the table and each
    `globalSecondaryIndexes[]` entry or `aws:dynamodb/globalSecondaryIndex:GlobalSecondaryIndex` on it, both
    `dynamodb:table:`/`dynamodb:index:` ReadCapacityUnits and WriteCapacityUnits have an
    `aws:appautoscaling/target:Target` (serviceNamespace dynamodb, `resourceId`
    `table/<name>[/index/<index>]` or a link to the table) whose maxCapacity is above its minCapacity, with an
    `aws:appautoscaling/policy:Policy` on it (or aws-native's ScalableTarget and ScalingPolicy, alike, the policy
    naming its target by `scalingTargetId` too); an unknown billing mode, and a target or policy that might be the one
    (an id not known yet, made from another stack's output, from the table or what is made from it, or from what the
    table's name or the target's id is made of), leave it unjudged, and an index not known yet waits for the
    update"""
    tables = [table for table in of_type(args.resources, TABLE)
              if peek(table.props, "billingMode") not in (UNKNOWN, "PAY_PER_REQUEST")]
    if not tables:
        return
    # Other services' targets (an ECS service's desired count) are never a table's.
    targets = [t for t in of_type(args.resources, SCALABLE_TARGET, NATIVE_SCALABLE_TARGET)
               if _known(peek(t.props, "serviceNamespace"), "dynamodb") is not False]
    policies = of_type(args.resources, SCALING_POLICY, NATIVE_SCALING_POLICY)
    indexes = of_type(args.resources, GLOBAL_SECONDARY_INDEX)
    for table in tables:
        mode, name = peek(table.props, "billingMode"), peek(table.props, "name")
        label = name if isinstance(name, str) else table.name
        for index in [None, *_index_names(table, indexes)]:
            for capacity, word in CAPACITIES.items():
                if any_of(_scaled_by(t, table, index, capacity, policies) for t in targets) is False:
                    where = "the table's" if index is None else f"index {index}'s"
                    billing = mode or "unset, so PROVISIONED"
                    yield (f"table {label} has provisioned capacity (billingMode {billing}) and nothing scales "
                           f"{where} {word} capacity: add an aws.appautoscaling.Target (serviceNamespace dynamodb, "
                           f"scalableDimension dynamodb:{'table' if index is None else 'index'}:{capacity}) with a "
                           "target-tracking Policy on it, or set billingMode PAY_PER_REQUEST"), table.urn
