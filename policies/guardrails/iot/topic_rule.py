"""AWS IoT topic rules, judged by what the rules engine does when an action fails (the developer guide's "Error
handling (error action)"): it triggers the rule's error action, "if one is specified for the rule", with the original
payload and the failures; without one the message goes nowhere else, and the failure shows only in AWS IoT's logs
(when they are on) and its rule metrics. pulumi-aws's `errorAction` takes exactly one action (terraform-provider-aws
`aws_iot_topic_rule`: ExactlyOneOf over the error action's blocks), so a rule that has it has one. A rule may have no
action at all (botocore's iot TopicRulePayload: `actions` takes 0 to 10), and then none can fail."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import dig, has_any, is_false, is_set
from ..core.registry import ADVISORY, resource_policy
from . import TOPIC_RULE

# pulumi-aws TopicRule's action blocks, one list per kind of action.
_ACTIONS = ("cloudwatchAlarms", "cloudwatchLogs", "cloudwatchMetrics", "dynamodbs", "dynamodbv2s", "elasticsearch",
            "firehoses", "https", "iotAnalytics", "iotEvents", "kafkas", "kineses", "lambdas", "republishes", "s3",
            "sns", "sqs", "stepFunctions", "timestreams")


@resource_policy(
    "iot-topic-rule-error-action", TOPIC_RULE,
    description="AWS IoT topic rules should have an error action, so that a message whose action fails (a missing "
                "permission, a throttled table, a missing bucket) is kept rather than lost.",
    severity=Severity.LOW, level=ADVISORY,
)
def error_action(args: ResourceValidationArgs) -> Iterator[str]:
    """`errorAction` is set, or the rule is disabled (`enabled` false: the rules engine runs none of its actions)
    or has no action; an unknown error action or action list counts as set"""
    if (not has_any(args.props, *_ACTIONS) or is_set(args.props, "errorAction")
            or is_false(dig(args.props, "enabled"))):
        return
    yield ("errorAction is left out: when one of the rule's actions fails (a missing permission, a throttled table, a "
           "missing bucket), the rules engine passes the message nowhere else and it is lost; add an errorAction "
           "(an SQS queue, an S3 bucket or a CloudWatch Logs group) to keep it for a retry")
