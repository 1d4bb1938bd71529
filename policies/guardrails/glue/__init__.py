"""AWS Glue guardrails: a Spark job runs on a version of AWS Glue that AWS still supports."""

JOB = "aws:glue/job:Job"
"""AWS Glue jobs (terraform-provider-aws `aws_glue_job` sends `glue_version` to CreateJob only when set, and
`command.name`, glueetl when left out)."""
