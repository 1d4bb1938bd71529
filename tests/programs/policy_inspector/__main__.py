"""Raw Amazon Inspector enablers: ones whose list leaves scan types out (which the provider then disables), and ones
listing every type Security Hub asks for, leaving out only what the test's config exempts, or known only after the
update."""
import pulumi_aws as aws

ACCOUNTS = ["111122223333"]
ALL = ["EC2", "ECR", "LAMBDA", "LAMBDA_CODE"]

aws.inspector2.Enabler("ec2-only", account_ids=ACCOUNTS, resource_types=["EC2"])
aws.inspector2.Enabler("no-code-scanning", account_ids=ACCOUNTS, resource_types=["EC2", "ECR", "LAMBDA"])
everything = aws.inspector2.Enabler("everything", account_ids=ACCOUNTS, resource_types=[*ALL, "CODE_REPOSITORY"])
# The config exempts ECR (an account without container images).
aws.inspector2.Enabler("no-images", account_ids=["444455556666"], resource_types=["EC2", "LAMBDA", "LAMBDA_CODE"])
# Known only once the first enabler exists: unknown in a first preview, which does not judge it.
aws.inspector2.Enabler("later", account_ids=["777788889999"],
                       resource_types=["EC2", "ECR", "LAMBDA", everything.id.apply(lambda _: "LAMBDA_CODE")])
