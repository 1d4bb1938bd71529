"""AWS Glue guardrails against tests/programs/policy_glue (raw jobs)."""
from __future__ import annotations

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, UNKNOWN, Finding, InsecureProgramSuite, Res, policies_found,
                                         program_fixtures)

PROGRAM = "policy_glue"
JOB = "aws:glue/job:Job"
VERSION = "glue-job-supported-version"

FAILING = [
    Finding(VERSION, "legacy-etl", "mandatory",
            "glueVersion is 2.0: AWS Glue versions before 3.0 are past end of support for Spark (no security patches) "
            "and, since 1 April 2026, end of life (no job runs on them); set glueVersion 3.0 or later and migrate the "
            "script (the AWS Glue guide's migration pages list the changes)"),
    Finding(VERSION, "legacy-stream", "mandatory", "glueVersion is 1.0: AWS Glue versions before 3.0"),
]
# The control's minimum; a later version with the command left out (glueetl); automatic upgrades; left out (the job
# gets CreateJob's current default and keeps it); a Python shell job; known only after the update.
PASSING = [(VERSION, "etl"), (VERSION, "default-command-etl"), (VERSION, "auto-etl"), (VERSION, "unpinned-etl"),
           (VERSION, "shell"), (VERSION, "later-etl")]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


def job(**props):
    """A job passing every policy but where `props` say otherwise (None leaves a property out)."""
    props = {"name": "job", "roleArn": "arn:aws:iam::123456789012:role/glue", "glueVersion": "5.0",
             "command": {"name": "glueetl", "scriptLocation": "s3://scripts/etl.py"}, "tags": DEFAULT_TAGS, **props}
    return Res(JOB, "job", {key: value for key, value in props.items() if value is not None})


@pytest.mark.parametrize("version, command, reported", [
    ("3.0", "glueetl", False), ("4.0", "glueetl", False), ("5.1", "gluestreaming", False), ("10.0", "glueetl", False),
    ("auto", "glueetl", False), ("0.9", "glueetl", True), ("1.0", "gluestreaming", True), ("2.0", None, True),
    # Left out, CreateJob gives the job its current default (6.0), which GetJob then returns.
    (None, "glueetl", False), ("", "glueetl", False), (None, None, False),
    # Python shell and Ray jobs are not Spark jobs; an unknown command may be either.
    ("1.0", "pythonshell", False), (None, "glueray", False), ("2.0", UNKNOWN, False),
    # Unknown until the update, or no version number, is not judged.
    (UNKNOWN, "glueetl", False), ("latest", "glueetl", False), (3.0, "glueetl", False), ("2", "glueetl", False)])
def test_a_spark_job_runs_on_a_supported_glue_version(version, command, reported):
    """Security Hub Glue.4: minimumSupportedGlueVersion 3.0; a job created without a version has CreateJob's."""
    props = {"glueVersion": version}
    if command is not None:
        props["command"] = {"name": command, "scriptLocation": "s3://scripts/etl.py"}
    else:
        props["command"] = {"scriptLocation": "s3://scripts/etl.py"}
    assert (VERSION in policies_found([job(**props)])) == reported
