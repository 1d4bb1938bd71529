"""Athena guardrails: a workgroup has the query results it writes encrypted, and keeps clients from turning that
off, and publishes its query metrics to CloudWatch."""

WORKGROUP = "aws:athena/workgroup:Workgroup"
"""Athena workgroups, judged by what pulumi-aws sends (terraform-provider-aws `aws_athena_workgroup`: without a
`configuration` block CreateWorkGroup gets none, and AWS then enforces the workgroup's configuration and publishes its
metrics, as the provider's defaults for the block's `enforceWorkgroupConfiguration` and
`publishCloudwatchMetricsEnabled` do; its acceptance test reads both back true for a workgroup with a name only)."""
