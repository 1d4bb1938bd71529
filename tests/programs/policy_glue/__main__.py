"""Raw AWS Glue jobs: Spark jobs on versions past end of support, and right ones (a supported version, automatic
upgrades, none set, a Python shell job, and one whose version another resource gives, known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = aws.iam.Role("glue-jobs", assume_role_policy="""{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}""", tags=TAGS)
SCRIPT = "s3://policy-tests-glue-scripts/etl.py"


def job(name, command="glueetl", **args):
    return aws.glue.Job(name, name=name, role_arn=ROLE.arn, tags=TAGS,
                        command={"name": command, "script_location": SCRIPT}, **args)


# Past end of support (and end of life): Spark ETL on 2.0; streaming on 1.0.
job("legacy-etl", glue_version="2.0")
job("legacy-stream", command="gluestreaming", glue_version="1.0")
# Left out: CreateJob gives the job its current default (6.0 in botocore's model), which GetJob then returns.
job("unpinned-etl")
# Supported: 3.0 (the control's minimum), 5.0, automatic upgrades; the command left out is a Spark ETL job.
job("etl", glue_version="3.0")
aws.glue.Job("default-command-etl", name="default-command-etl", role_arn=ROLE.arn, tags=TAGS, glue_version="5.0",
             command={"script_location": SCRIPT})
job("auto-etl", glue_version="auto")
# A Python shell job: GlueVersion does not decide its runtime (command.pythonVersion does).
job("shell", command="pythonshell", glue_version="1.0", max_capacity=0.0625)
# Known only once the role exists (5.0 then): unknown in a first preview, which does not judge it.
job("later-etl", glue_version=ROLE.arn.apply(lambda _: "5.0"))
