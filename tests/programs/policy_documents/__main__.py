"""IAM written the usual way, with `aws.iam.get_policy_document`: an ECS task role whose trust names no account and
whose inline policy allows `*`, and one pinned to the account with a narrow policy merged from a source and an
override document. Both invoke forms (plain and `_output`), and argument classes as well as dicts."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
account = aws.get_caller_identity().account_id
region = aws.get_region().region

open_trust = aws.iam.get_policy_document(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    actions=["sts:AssumeRole"],
    principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service",
                                                                identifiers=["ecs-tasks.amazonaws.com"])])])

pinned_trust = aws.iam.get_policy_document_output(statements=[{
    "sid": "EcsTasks",
    "actions": ["sts:AssumeRole", "sts:TagSession"],
    "principals": [{"type": "Service", "identifiers": ["ecs-tasks.amazonaws.com"]},
                   {"type": "AWS", "identifiers": [f"arn:aws:iam::{account}:root", "arn:aws:iam::111122223333:root"]}],
    "conditions": [{"test": "StringEquals", "variable": "aws:SourceAccount", "values": [account]},
                   {"test": "ArnLike", "variable": "aws:SourceArn",
                    "values": [f"arn:aws:ecs:{region}:{account}:*", f"arn:aws:ecs:{region}:{account}:task/*"]}],
}])

everything = aws.iam.get_policy_document_output(statements=[
    {"actions": ["*"], "resources": ["*"]},
    # Python names in a dict, as the TypedDicts spell them; this Deny leaves secretsmanager:* alone.
    {"sid": "OnlyOrders", "effect": "Deny", "not_actions": ["s3:GetObject", "secretsmanager:*"],
     "not_resources": ["arn:aws:s3:::orders/*"]},
])

base = aws.iam.get_policy_document(statements=[
    {"sid": "Reads", "actions": ["secretsmanager:GetSecretValue"], "resources": ["*"]},
    {"sid": "Logs", "actions": ["logs:PutLogEvents", "logs:CreateLogStream"],
     "resources": [f"arn:aws:logs:{region}:{account}:log-group:/orders:*"]},
])
narrow = aws.iam.get_policy_document(
    policy_id="orders-task",
    source_policy_documents=[base.json],
    statements=[{"sid": "Reads", "actions": ["secretsmanager:GetSecretValue"],
                 "resources": [f"arn:aws:secretsmanager:{region}:{account}:secret:orders-db-*"]}],
    override_policy_documents=[json.dumps({"Statement": [
        {"Sid": "NoMeshKeys", "Effect": "Deny", "Action": "secretsmanager:GetSecretValue",
         "Resource": "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"}]})],
)

open_role = aws.iam.Role("open-task-role", name="open-task-role", assume_role_policy=open_trust.json, tags=TAGS)
aws.iam.RolePolicy("open-everything", role=open_role.name, policy=everything.json)
pinned_role = aws.iam.Role("pinned-task-role", name="pinned-task-role", assume_role_policy=pinned_trust.json,
                           inline_policies=[aws.iam.RoleInlinePolicyArgs(name="orders", policy=narrow.json)], tags=TAGS)

CONTAINERS = json.dumps([{
    "name": "app", "image": f"{account}.dkr.ecr.{region}.amazonaws.com/orders:1.0.0", "essential": True,
    "user": "1000", "readonlyRootFilesystem": True, "memory": 256,
    "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/orders", "awslogs-region": region,
                                                             "awslogs-stream-prefix": "orders"}}}])
for name, role in (("open-task", open_role), ("pinned-task", pinned_role)):
    aws.ecs.TaskDefinition(name, family=name, network_mode="awsvpc", cpu="256", memory="512",
                           requires_compatibilities=["FARGATE"], task_role_arn=role.arn, execution_role_arn=role.arn,
                           container_definitions=CONTAINERS, tags=TAGS)

pulumi.export("narrowPolicyId", aws.iam.get_policy_document_output(statements=[{"actions": ["s3:ListBucket"]}]).id)
