"""Raw DataSync tasks: ones that log nowhere or at level OFF, and right ones (a log group and a level, an Enhanced
mode task, which logs to /aws/datasync by itself, and ones whose settings another resource gives, known only after
the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
LOGS = aws.cloudwatch.LogGroup("datasync-logs", name="/policy-tests/datasync", retention_in_days=365,
                               kms_key_id="arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
                               tags=TAGS)
LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/policy-tests/datasync"
SOURCE = "arn:aws:datasync:us-east-1:123456789012:location/loc-0a1b2c3d4e5f60001"
DESTINATION = "arn:aws:datasync:us-east-1:123456789012:location/loc-0a1b2c3d4e5f60002"


def task(name, **args):
    args.setdefault("cloudwatch_log_group_arn", LOG_GROUP)
    args.setdefault("options", {"log_level": "BASIC"})
    return aws.datasync.Task(name, name=name, source_location_arn=SOURCE, destination_location_arn=DESTINATION,
                             tags=TAGS, **args)


# No log group (a Basic mode task, said outright or by default); logging turned off; an options block without a
# level (the provider sends OFF).
task("unlogged-task", cloudwatch_log_group_arn=None)
task("unlogged-basic-task", cloudwatch_log_group_arn=None, task_mode="BASIC")
task("silent-task", options={"log_level": "OFF"})
task("default-level-task", options={"verify_mode": "ONLY_FILES_TRANSFERRED"})
# Logged: at BASIC (the helper's), at TRANSFER; an Enhanced mode task without a log group; no options block (no
# Options sent: not judged).
task("logged-task")
task("transfer-logged-task", options={"log_level": "TRANSFER"})
task("enhanced-task", cloudwatch_log_group_arn=None, task_mode="ENHANCED")
task("no-options-task", options=None)
# Known only once the log group exists: unknown in a first preview, which does not judge them.
task("later-log-group-task", cloudwatch_log_group_arn=LOGS.arn)
task("later-mode-task", cloudwatch_log_group_arn=None, task_mode=LOGS.arn.apply(lambda _: "ENHANCED"))
task("later-level-task", options={"log_level": LOGS.arn.apply(lambda _: "TRANSFER")})
