"""Athena guardrails: a workgroup has the query results it writes encrypted, and keeps clients from turning that
off, and publishes its query metrics to CloudWatch."""

WORKGROUP = "aws:athena/workgroup:Workgroup"
