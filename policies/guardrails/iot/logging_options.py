"""AWS IoT Core's logging options, judged as IoT Device Defender's audit check "Logging disabled"
(LOGGING_DISABLED_CHECK) judges an account: pulumi-aws's LoggingOptions calls SetV2LoggingOptions
(terraform-provider-aws `aws_iot_logging_options`), whose `defaultLogLevel` DISABLED logs nothing by default and whose
`disableAllLogs` true (botocore's iot model: "If true all logs are disabled") logs nothing at all.

A stack without LoggingOptions is not reported: the options are one setting of the account and region (the provider's
id for them is the region, and deleting the resource leaves the setting as it was), made by whichever stack, console
session or Device Defender mitigation action (ENABLE_IOT_LOGGING) sets them, none of which a stack shows; Device
Defender's audit reads the account itself. The pack leaves account-wide CloudWatch alarms (CloudWatch.1-14) to the
account for the same reason."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import is_true, peek
from ..core.registry import resource_policy
from . import LOGGING_OPTIONS


@resource_policy(
    "iot-logging-enabled", LOGGING_OPTIONS,
    description="AWS IoT Core logging options must not turn logging off: IoT's CloudWatch logs record authentication "
                "failures and unexpected connects and disconnects, which may show a compromised device.",
    severity=Severity.LOW,
    anchors=("IoT Device Defender audit LOGGING_DISABLED_CHECK",),
)
def logging_enabled(args: ResourceValidationArgs) -> Iterator[str]:
    """`disableAllLogs` is not true and `defaultLogLevel` is not DISABLED (ERROR, WARN, INFO or DEBUG); a stack
    without LoggingOptions is not reported (the account's setting may be made anywhere); unknown values are not
    judged"""
    if is_true(peek(args.props, "disableAllLogs")):
        yield ("disableAllLogs is true: AWS IoT writes no log to CloudWatch, whatever the log levels say, so "
               "authentication failures and unexpected connects and disconnects leave no record; leave it out (false)")
    if peek(args.props, "defaultLogLevel") == "DISABLED":
        yield ("defaultLogLevel is DISABLED: AWS IoT logs nothing for devices without a level of their own, so their "
               "authentication failures and unexpected connects and disconnects leave no record; set ERROR (or WARN, "
               "INFO, DEBUG)")
