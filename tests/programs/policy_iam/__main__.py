"""Raw IAM roles under a pack config that names the organization's boundaries: one bounded by a boundary it names,
one by a boundary its wildcard names through another resource's output (unknown in a first preview), one by another
boundary (or the named one in other case), one by none."""
import json

import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
BOUNDARY = "arn:aws:iam::111122223333:policy/boundaries/platform"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def role(name, **args):
    return aws.iam.Role(name, name=name, assume_role_policy=TRUST, tags=TAGS, **args)


role("bounded", permissions_boundary=BOUNDARY)
team_boundary = aws.iam.Policy("team-boundary", name="team-boundary", tags=TAGS, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}))
role("team-bounded", permissions_boundary=team_boundary.arn)
role("otherwise-bounded", permissions_boundary="arn:aws:iam::111122223333:policy/PowerUsers")
# ARNs compare with case (an SCP's ArnLike does): not the boundary the organization named.
role("bounded-in-other-case", permissions_boundary=BOUNDARY.replace("platform", "Platform"))
role("unbounded")
