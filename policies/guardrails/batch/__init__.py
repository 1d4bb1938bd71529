"""AWS Batch guardrails: what a job definition hands its containers."""

JOB_DEFINITION = "aws:batch/jobDefinition:JobDefinition"
