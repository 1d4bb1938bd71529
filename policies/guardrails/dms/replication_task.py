"""DMS replication tasks, judged by the task settings document pulumi-aws sends (`replicationTaskSettings`, JSON text
that terraform-provider-aws `aws_dms_replication_task` passes on as written, and only when set).

The DMS guide's "Logging task settings": CloudWatch logging is on where the document's `Logging.EnableLogging` is
true (its task settings example has false, and a task created without it logs nothing); `Logging.LogComponents` lists
`{"Id": <component>, "Severity": <level>}`, the levels from least to most: LOGGER_SEVERITY_ERROR, _WARNING, _INFO,
_DEFAULT, _DEBUG, _DETAILED_DEBUG. Security Hub DMS.7 and DMS.8 fail a task whose logging is off, or that logs a
component they name below LOGGER_SEVERITY_DEFAULT. Keys are read in any case (`member`), as DMS documents none."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, has_text, has_unknown, in_words, is_false, is_map, is_seq, json_object, member, peek
from ..core.registry import ADVISORY, resource_policy
from . import REPLICATION_TASK

# Below LOGGER_SEVERITY_DEFAULT, the least the controls accept; any other value is not judged.
TOO_QUIET = ("LOGGER_SEVERITY_ERROR", "LOGGER_SEVERITY_WARNING", "LOGGER_SEVERITY_INFO")


def _logging(props: Any) -> Any:
    """The task's `Logging` block: None where the settings or the block are left out; UNKNOWN (not judged) where the
    settings are unknown until the update, are a map (json_object passes one through) holding a value that is, or
    are no JSON object."""
    settings = peek(props, "replicationTaskSettings")
    if settings is UNKNOWN or _left_out(settings):
        return UNKNOWN if settings is UNKNOWN else None
    document = json_object(settings)
    return member(document, "Logging") if is_map(document) and not has_unknown(document) else UNKNOWN


def _left_out(settings: Any) -> bool:
    """None or blank: terraform-provider-aws sends ReplicationTaskSettings only where it is set (GetOk)."""
    return settings is None or (isinstance(settings, str) and not has_text(settings))


def _logging_off(props: Any) -> Optional[str]:
    """How a task's settings leave CloudWatch logging off, or None: on, unknown until the update, a document that is
    no JSON object, or an EnableLogging neither true nor false (not judged)."""
    if _left_out(peek(props, "replicationTaskSettings")):
        return "replicationTaskSettings is left out, so DMS's Logging.EnableLogging false applies"
    logging = _logging(props)
    if logging is None:
        return "replicationTaskSettings has no Logging block, so DMS's EnableLogging false applies"
    enabled = member(logging, "EnableLogging") if is_map(logging) else UNKNOWN
    if enabled is None:
        return "replicationTaskSettings' Logging.EnableLogging is left out (false)"
    return "replicationTaskSettings' Logging.EnableLogging is false" if is_false(enabled) else None


def _too_quiet(props: Any, components: tuple[str, ...]) -> list[str]:
    """`components` the task's Logging.LogComponents logs below LOGGER_SEVERITY_DEFAULT, as `ID at SEVERITY`; a
    component the list leaves out keeps DMS's own level and is not judged."""
    logging = _logging(props)
    entries = member(logging, "LogComponents") if is_map(logging) else None
    found = []
    for entry in (entries if is_seq(entries) else []):
        component, severity = member(entry, "Id"), member(entry, "Severity")
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
        `replicationTaskSettings` (JSON) has `Logging.EnableLogging` true (true or "true"; left out, or the document
        left out, DMS's false applies), and no `Logging.LogComponents` entry for {wanted} below
        LOGGER_SEVERITY_DEFAULT (ERROR, WARNING, INFO; a component left out keeps DMS's level). Unknown values, a
        document that is no JSON object, and other values are not judged""",
    )(check)


_logging_policy("dms-replication-task-target-logging", ("TARGET_LOAD", "TARGET_APPLY"), "target",
                "the data it loads into the target database and the changes and DDL it applies there",
                anchors=("Security Hub DMS.7", "Config dms-replication-task-targetdb-logging"))
_logging_policy("dms-replication-task-source-logging", ("SOURCE_UNLOAD", "SOURCE_CAPTURE"), "source",
                "the data it unloads from the source database and the changes it captures there",
                anchors=("Security Hub DMS.8", "Config dms-replication-task-sourcedb-logging"))
