"""DMS replication tasks, judged by the task settings document pulumi-aws sends (`replicationTaskSettings`, JSON text
that terraform-provider-aws `aws_dms_replication_task` passes on as written, and only when set).

The DMS guide's "Logging task settings": CloudWatch logging is on where the document's `Logging.EnableLogging` is
true (its task settings example has false, and a task created without it logs nothing); `Logging.LogComponents` lists
`{"Id": <component>, "Severity": <level>}`, the levels from least to most: LOGGER_SEVERITY_ERROR, _WARNING, _INFO,
_DEFAULT, _DEBUG, _DETAILED_DEBUG. Security Hub DMS.7 and DMS.8 fail a task whose logging is off, or that logs a
component they name below LOGGER_SEVERITY_DEFAULT.

Keys are read as written and EnableLogging is on only as the JSON boolean true, as DMS documents them: the provider
decodes the text into no SDK struct (so Go's case-blind matching, which `member` follows for ECS and Batch, plays no
part); it reads `Logging` and `EnableLogging` by those exact keys and as a boolean (task_settings_json.go:
validateReplicationSettings and normalizeReplicationSettings assert `.(bool)`, and suppressEquivalentTaskSettings
compares DMS's own document, in those keys, key for key); and the controls judge the document DMS keeps. A
`"logging"` block or `"enableLogging"`, or `"EnableLogging": "true"`, is no logging DMS is documented to turn on."""
from __future__ import annotations

import json
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, has_unknown, in_words, is_map, is_seq, json_object, member_key, peek
from ..core.registry import ADVISORY, resource_policy
from . import REPLICATION_TASK

# Below LOGGER_SEVERITY_DEFAULT, the least the controls accept; any other value is not judged.
TOO_QUIET = ("LOGGER_SEVERITY_ERROR", "LOGGER_SEVERITY_WARNING", "LOGGER_SEVERITY_INFO")


def _settings(props: Any) -> Any:
    """The task's settings document: None where left out; UNKNOWN (not judged) where unknown until the update, a map
    (json_object passes one through) holding a value that is, or no JSON object (the provider refuses one)."""
    settings = peek(props, "replicationTaskSettings")
    if settings is UNKNOWN or _left_out(settings):
        return UNKNOWN if settings is UNKNOWN else None
    document = json_object(settings)
    return document if is_map(document) and not has_unknown(document) else UNKNOWN


def _logging(props: Any) -> Any:
    """The task's `Logging` block, by that key as written: None where the settings or the block are left out, UNKNOWN
    where the settings are (`_settings`)."""
    document = _settings(props)
    return peek(document, "Logging") if is_map(document) else document


def _left_out(settings: Any) -> bool:
    """None or blank: terraform-provider-aws sends ReplicationTaskSettings only where it is set (GetOk)."""
    return settings is None or (isinstance(settings, str) and not has_text(settings))


def _miscased(block: Any, key: str) -> str:
    """Where `block` spells `key` in another case, a note naming that spelling, which DMS does not read as `key`."""
    found = member_key(block, key)
    return f' ("{found}" is not {key}: DMS reads its settings\' keys as written)' if found not in (None, key) else ""


def _shown(value: Any) -> str:
    """A scalar as JSON writes it (`"true"` for text), else what it is."""
    if isinstance(value, (str, bool, int, float)):
        return json.dumps(value)
    return "a block" if is_map(value) else "a list"


def _logging_off(props: Any) -> Optional[str]:
    """How a task's settings leave CloudWatch logging off, or None: on (EnableLogging the JSON boolean true), or
    settings not judged (`_settings`)."""
    document = _settings(props)
    if document is UNKNOWN:
        return None
    if document is None:
        return "replicationTaskSettings is left out, so DMS's Logging.EnableLogging false applies"
    logging = peek(document, "Logging")
    if logging is None:
        return (f"replicationTaskSettings has no Logging block{_miscased(document, 'Logging')}, so DMS's "
                "EnableLogging false applies")
    if not is_map(logging):
        return f"replicationTaskSettings' Logging is {_shown(logging)}, not a block of settings"
    enabled = peek(logging, "EnableLogging")
    if enabled is None:
        return (f"replicationTaskSettings' Logging.EnableLogging is left out{_miscased(logging, 'EnableLogging')} "
                "(false)")
    if enabled is False:
        return "replicationTaskSettings' Logging.EnableLogging is false"
    return None if enabled is True else (
        f"replicationTaskSettings' Logging.EnableLogging is {_shown(enabled)}, not the JSON boolean true DMS "
        "documents (and terraform-provider-aws reads it as)")


def _too_quiet(props: Any, components: tuple[str, ...]) -> list[str]:
    """`components` the task's Logging.LogComponents logs below LOGGER_SEVERITY_DEFAULT, as `ID at SEVERITY`; a
    component the list leaves out keeps DMS's own level and is not judged."""
    logging = _logging(props)
    entries = peek(logging, "LogComponents") if is_map(logging) else None
    found = []
    for entry in (entries if is_seq(entries) else []):
        component, severity = peek(entry, "Id"), peek(entry, "Severity")
        if component in components and severity in TOO_QUIET:
            found.append(f"{component} at {severity}")
    return found


def _logging_policy(name: str, components: tuple[str, ...], database: str, what: str, *, anchors: tuple) -> None:
    """Register the policy that a task logs `components` (the `database` side's: `what` they do) at
    LOGGER_SEVERITY_DEFAULT or above."""
    wanted = in_words(components)

    def check(args: ResourceValidationArgs) -> Iterator[str]:
        off = _logging_off(args.props)
        if off:
            yield (f"{off}: the task writes no CloudWatch log of {what}, nor of its errors; set Logging.EnableLogging "
                   f"true, with {wanted} in Logging.LogComponents at LOGGER_SEVERITY_DEFAULT or above")
        quiet = [] if off else _too_quiet(args.props, components)
        if quiet:
            yield (f"replicationTaskSettings' Logging.LogComponents logs {in_words(quiet)}, below "
                   "LOGGER_SEVERITY_DEFAULT, the level AWS recommends keeping for them and the least the control "
                   "accepts; set LOGGER_SEVERITY_DEFAULT (or _DEBUG, _DETAILED_DEBUG)")

    resource_policy(
        name, REPLICATION_TASK,
        description=f"DMS replication tasks should log what they do to the {database} database to CloudWatch Logs "
                    f"({wanted} at LOGGER_SEVERITY_DEFAULT or above), for troubleshooting and audit of the migration.",
        severity=Severity.MEDIUM, level=ADVISORY, anchors=anchors,
        checks=f"""
        `replicationTaskSettings` (JSON) has `Logging.EnableLogging` the JSON boolean true (left out, or the
        document left out, DMS's false applies; "true" as text, or a key in another case, such as `enableLogging`,
        is not what DMS documents and is reported), and no `Logging.LogComponents` entry for {wanted} below
        LOGGER_SEVERITY_DEFAULT (ERROR, WARNING, INFO; a component left out keeps DMS's level). Unknown values, a
        document that is no JSON object (the provider refuses one), and other severities are not judged""",
    )(check)


_logging_policy("dms-replication-task-target-logging", ("TARGET_LOAD", "TARGET_APPLY"), "target",
                "the data it loads into the target database and the changes and DDL it applies there",
                anchors=("Security Hub DMS.7", "Config dms-replication-task-targetdb-logging"))
_logging_policy("dms-replication-task-source-logging", ("SOURCE_UNLOAD", "SOURCE_CAPTURE"), "source",
                "the data it unloads from the source database and the changes it captures there",
                anchors=("Security Hub DMS.8", "Config dms-replication-task-sourcedb-logging"))
