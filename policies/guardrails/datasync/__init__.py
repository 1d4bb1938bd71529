"""AWS DataSync guardrails: a task logs its transfers to CloudWatch Logs."""

TASK = "aws:datasync/task:Task"
"""DataSync tasks (terraform-provider-aws `aws_datasync_task` sends `cloudwatch_log_group_arn` and `task_mode` to
CreateTask only when set, and an `options` block whole, its `log_level` OFF when left out)."""
