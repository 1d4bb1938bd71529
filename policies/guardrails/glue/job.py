"""AWS Glue jobs, judged by what pulumi-aws sends: terraform-provider-aws `aws_glue_job` sends GlueVersion to
CreateJob and UpdateJob only when set, and `command.name` as given, glueetl (a Spark ETL job) when left out."""
from __future__ import annotations

from typing import Iterator

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import UNKNOWN, peek, version_numbers
from ..core.registry import resource_policy
from . import JOB

# The job commands that run Apache Spark (JobCommand.Name: batch ETL and streaming ETL); Python shell and Ray jobs
# take their runtime from elsewhere (`command.pythonVersion`, `command.runtime`).
_SPARK_COMMANDS = ("glueetl", "gluestreaming")

# Security Hub Glue.4's minimumSupportedGlueVersion (not customizable): AWS Glue's version support policy lists
# Spark on 0.9, 1.0 and 2.0 as past end of support (no security patches) and, since 2026-04-01, end of life.
_MINIMUM = (3, 0)


@resource_policy(
    "glue-job-supported-version", JOB,
    description="AWS Glue Spark jobs must run on a version of AWS Glue that AWS still supports (3.0 or later): "
                "earlier versions get no security patches, and past their end of life no job runs on them.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub Glue.4", "Config glue-spark-job-supported-version"),
)
def supported_version(args: ResourceValidationArgs) -> Iterator[str]:
    """a Spark job's (`command.name` glueetl, the default, or gluestreaming) `glueVersion` is 3.0 or later, or `auto`
    (AWS Glue upgrades the job itself); left out, CreateJob gives the job its current default (6.0 in botocore's
    model), which the job keeps and GetJob returns, so it is not judged; a Python shell or Ray job, a version that
    is no number, and an unknown value are not judged"""
    version = peek(args.props, "glueVersion")
    numbers = version_numbers(version)
    # GlueVersionString (`(\w+\.)+\w+`) takes no version number without a dot.
    if numbers is None or len(numbers) < 2:
        return  # left out (CreateJob's current default), unknown, `auto`, or no version number
    if numbers >= _MINIMUM:
        return
    command = peek(args.props, "command", "name")
    if command is UNKNOWN or (command or "glueetl") not in _SPARK_COMMANDS:
        return
    yield (f"glueVersion is {version}: AWS Glue versions before 3.0 are past end of support for Spark (no "
           "security patches) and, since 1 April 2026, end of life (no job runs on them); set glueVersion 3.0 "
           "or later and migrate the script (the AWS Glue guide's migration pages list the changes)")
