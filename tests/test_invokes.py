"""Invokes under the offline preview: `get_policy_document` answered as the AWS provider builds it."""
from __future__ import annotations

import json
import zlib

import pytest

from tests.conftest import ROOT, shared_preview
from tools.invokes import ANSWERS, InvokeFailure, policy_document, unanswered
from tools.preview import run_preview

PACK = ROOT / "policies"
DOCUMENTS = ROOT / "tests" / "programs" / "policy_documents"


@pytest.fixture(scope="module")
def documents():
    result = shared_preview("test", DOCUMENTS, PACK)
    assert result.error is None, result.error
    return result


def _program(tmp_path, body: str):
    (tmp_path / "Pulumi.yaml").write_text("name: invokes\nruntime: python\n")
    (tmp_path / "Pulumi.test.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (tmp_path / "__main__.py").write_text("import json\n\nimport pulumi\nimport pulumi_aws as aws\n\n" + body)
    return tmp_path


# --- a program written with get_policy_document previews, and the pack reads its documents -------


def test_a_trust_policy_is_the_document_the_provider_writes(documents):
    # One value of a set is a string; empty Sid left out (since provider v5); the struct's key order.
    trust = documents.get("aws:iam/role:Role", "open-task-role").inputs["assumeRolePolicy"]
    assert trust == """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "ecs-tasks.amazonaws.com"
      }
    }
  ]
}"""


def test_several_values_principals_and_conditions_take_the_providers_shape(documents):
    trust = json.loads(documents.get("aws:iam/role:Role", "pinned-task-role").inputs["assumeRolePolicy"])
    # Sets sorted in reverse; principals by type and conditions by test, keys sorted; values keep their order.
    assert trust == {"Version": "2012-10-17", "Statement": [{
        "Sid": "EcsTasks", "Effect": "Allow", "Action": ["sts:TagSession", "sts:AssumeRole"],
        "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "arn:aws:iam::111122223333:root"],
                      "Service": "ecs-tasks.amazonaws.com"},
        "Condition": {"ArnLike": {"aws:SourceArn": ["arn:aws:ecs:us-east-1:123456789012:*",
                                                    "arn:aws:ecs:us-east-1:123456789012:task/*"]},
                      "StringEquals": {"aws:SourceAccount": "123456789012"}}}]}
    assert list(trust["Statement"][0]) == ["Sid", "Effect", "Action", "Principal", "Condition"]
    assert list(trust["Statement"][0]["Condition"]) == ["ArnLike", "StringEquals"]


def test_not_keys_from_a_dict_with_python_names(documents):
    policy = documents.get("aws:iam/rolePolicy:RolePolicy", "open-everything").inputs["policy"]
    assert json.loads(policy)["Statement"] == [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "OnlyOrders", "Effect": "Deny", "NotAction": ["secretsmanager:*", "s3:GetObject"],
         "NotResource": "arn:aws:s3:::orders/*"}]


def test_source_and_override_documents_merge_by_sid(documents):
    role = documents.get("aws:iam/role:Role", "pinned-task-role")
    policy = json.loads(role.inputs["inlinePolicies"][0]["policy"])
    # The statement's "Reads" replaces the source's, in the source's place; the override's Deny comes last.
    assert policy == {"Version": "2012-10-17", "Id": "orders-task", "Statement": [
        {"Sid": "Reads", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-*"},
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
         "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/orders:*"},
        {"Sid": "NoMeshKeys", "Effect": "Deny", "Action": "secretsmanager:GetSecretValue",
         "Resource": "arn:aws:secretsmanager:*:*:secret:ecs-sc!*"}]}


def test_the_id_is_the_crc32_of_the_json(documents):
    expected = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
                '      "Action": "s3:ListBucket"\n    }\n  ]\n}')
    assert documents.outputs["narrowPolicyId"] == str(zlib.crc32(expected.encode()))


def test_the_pack_reads_the_documents_as_it_would_the_real_ones(documents):
    iam = {(v.policy, v.name, v.enforcement_level) for v in documents.violations if v.policy.startswith("iam-")}
    assert iam == {
        # Allow * on * in a RolePolicy of a task role reaches the ecs-sc! secrets.
        ("iam-task-role-no-ecs-sc-secrets", "open-task-role", "mandatory"),
        # ... and is full administrator access on its own, made by get_policy_document as by a JSON string.
        ("iam-no-full-admin", "open-everything", "mandatory"),
        # A trust that names ECS tasks with no condition on the caller's account.
        ("iam-ecs-tasks-trust-scoped", "open-task-role", "advisory"),
    }
    assert documents.api_errors == []


# --- the document builder, against terraform-provider-aws's behaviour ------------------------------


def test_minified_json_and_go_escaping():
    result = policy_document({"statements": [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::a&b<c>"],
                                              "conditions": [{"test": "StringLike", "variable": "s3:prefix",
                                                              "values": ["home/&{aws:username}/", "é"]}]}]})
    assert result["minifiedJson"] == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
        '"Resource":"arn:aws:s3:::a\\u0026b\\u003cc\\u003e",'
        '"Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/","é"]}}}]}')
    assert json.loads(result["json"]) == json.loads(result["minifiedJson"])
    assert result["version"] == "2012-10-17"


def test_principals_of_one_type_merge_and_a_lone_star_is_a_string():
    result = json.loads(policy_document({"statements": [
        {"sid": "A", "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::111111111111:root"]},
                                    {"type": "AWS", "identifiers": ["arn:aws:iam::222222222222:root",
                                                                    "arn:aws:iam::333333333333:root"]}]},
        {"sid": "B", "principals": [{"type": "*", "identifiers": ["*"]}]},
        {"sid": "C", "not_principals": [{"type": "AWS", "identifiers": ["*"]}]},
    ]})["json"])["Statement"]
    assert result[0]["Principal"] == {"AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::333333333333:root",
                                              "arn:aws:iam::222222222222:root"]}
    assert result[1]["Principal"] == "*"
    assert result[2]["NotPrincipal"] == {"AWS": "*"}


def test_documents_merged_in_are_normalised_like_the_providers_types():
    source = json.dumps({"Version": "2008-10-17", "Id": "old", "Statement": [
        {"Sid": "S", "Effect": "Allow", "Action": ["b:B", "a:A"], "Principal": {"AWS": ["x", "z", "y"]},
         "Condition": {"Bool": {"aws:SecureTransport": True}, "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
                       "StringEquals": {"aws:PrincipalTag/team": ["a"]}}}]})
    result = json.loads(policy_document({"sourcePolicyDocuments": [source], "policyId": "new"})["json"])
    assert result == {"Version": "2012-10-17", "Id": "new", "Statement": [
        # A JSON document's lists are kept as written, but identifiers are sorted in reverse; one condition value is a
        # string, a boolean becomes one, and a number is dropped, as the provider's types do.
        {"Sid": "S", "Effect": "Allow", "Action": ["b:B", "a:A"], "Principal": {"AWS": ["z", "y", "x"]},
         "Condition": {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalTag/team": "a"}}}]}


@pytest.mark.parametrize("args,prop,reason", [
    ({"statements": [{"sid": "A"}, {"sid": "A"}]}, "statements[1].sid", "duplicate Sid (A)"),
    ({"statements": [{"sid": "no-dash"}]}, "statements[0].sid", "must only include alphanumeric characters"),
    ({"statements": [{"effect": "allow"}]}, "statements[0].effect", "expected effect to be one of"),
    ({"version": "2008-10-17", "statements": [{"resources": ["arn:aws:s3:::&{aws:username}"]}]},
     "statements[0].resources", "not supported in document version 2008-10-17"),
    ({"sourcePolicyDocuments": ['{"Statement": [{"Sid": "A"}]}', '{"Statement": [{"Sid": "A"}]}']},
     "sourcePolicyDocuments", "merging source document 1: duplicate Sid (A)"),
    ({"overridePolicyDocuments": ['{"Statement": {"Sid": "A"}}']}, "overridePolicyDocuments",
     "merging override document 0: json: cannot unmarshal object"),
])
def test_what_the_provider_refuses_is_refused(args, prop, reason):
    with pytest.raises(InvokeFailure) as failure:
        policy_document(args)
    assert failure.value.prop == prop and reason in failure.value.reason


def test_a_refused_document_fails_the_preview_at_the_programs_line(tmp_path):
    program = _program(tmp_path, 'aws.iam.get_policy_document(statements=[{"sid": "A"}, {"sid": "A"}])\n')
    result = run_preview("test", program)
    assert result.error == ("the program failed: Exception: invoke of aws:iam/getPolicyDocument:getPolicyDocument "
                            "failed: writing IAM Policy Document: duplicate Sid (A). Remove the Sid or ensure the Sid "
                            "is unique. (statements[1].sid) (__main__.py:6)")


# --- what else a program may ask: answered where the arguments and config give it, else one clear line --


_DERIVED = '''
role = aws.iam.get_role(name="ecsTaskExecutionRole")
repo = aws.ecr.get_repository_output(name="orders")
other = aws.ecr.get_repository(name="base", registry_id="111122223333", region="eu-west-1")
tagged = aws.Provider("tagged", region="eu-west-1", default_tags={"tags": {"Team": "orders", "aws:internal": "x",
                                                                          "Scratch": "y"}},
                      ignore_tags={"keys": ["Scratch"]})
pulumi.export("roleArn", role.arn)
pulumi.export("roleName", role.name)
github = aws.iam.get_open_id_connect_provider(url="https://token.actions.githubusercontent.com")
pulumi.export("oidc", [github.arn, github.url, aws.iam.get_open_id_connect_provider(arn=github.arn).url])
pulumi.export("image", repo.repository_url.apply(lambda url: url + ":1.0.0"))
pulumi.export("repoArn", repo.arn)
pulumi.export("otherUrl", other.repository_url)
pulumi.export("stackTags", aws.get_default_tags().tags)
pulumi.export("providerTags", aws.get_default_tags_output(opts=pulumi.InvokeOutputOptions(provider=tagged)).tags)
pulumi.export("providerRepo", aws.ecr.get_repository_output(
    name="orders", opts=pulumi.InvokeOutputOptions(provider=tagged)).repository_url)
'''


def test_lookups_answer_what_their_arguments_and_the_config_give(tmp_path):
    program = _program(tmp_path, _DERIVED)
    (program / "Pulumi.test.yaml").write_text(
        "config:\n  aws:region: us-east-1\n  aws:defaultTags:\n    tags:\n      Owner: platform-team\n")
    result = run_preview("test", program)
    assert result.error is None, result.error
    assert result.outputs == {
        "roleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "roleName": "ecsTaskExecutionRole",
        # IAM's ARN of an OIDC provider, and its URL as IAM reads it back: without the scheme.
        "oidc": ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
                 "token.actions.githubusercontent.com", "token.actions.githubusercontent.com"],
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.0.0",
        "repoArn": "arn:aws:ecr:us-east-1:123456789012:repository/orders",
        "otherUrl": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/base",
        # The stack's aws:defaultTags for the default provider; an explicit provider's own, without aws: keys and
        # those its ignoreTags names.
        "stackTags": {"Owner": "platform-team"},
        "providerTags": {"Team": "orders"},
        "providerRepo": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders",
    }


@pytest.mark.parametrize("token,line", [
    ("aws:ec2/getVpc:getVpc", "vpc = aws.ec2.get_vpc_output(default=True)\naws.ec2.SecurityGroup('sg', vpc_id=vpc.id)"),
    ("aws:ec2/getSubnets:getSubnets", "ids = aws.ec2.get_subnets(filters=[{'name': 'vpc-id', 'values': ['vpc-1']}]).ids"),
    ("aws:kms/getAlias:getAlias", "aws.kms.get_alias_output(name='alias/aws/s3')"),
    # Caught by the program, or never used: the run fails all the same (the SDK keeps the invoke's error).
    ("aws:ssm/getParameter:getParameter",
     "try:\n    ami = aws.ssm.get_parameter(name='/ami/latest').value\nexcept Exception:\n    ami = 'ami-fallback'"),
], ids=["getVpc-output", "getSubnets", "getAlias-unused", "getParameter-caught"])
def test_an_invoke_the_preview_cannot_answer_fails_it_with_one_line(token, line, tmp_path, capsys):
    from tools import preview as preview_cli

    program = _program(tmp_path, line + "\n")
    code = preview_cli.main(["--stack", "test", "--cwd", str(program), "--policy-pack", str(PACK)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (f"error: the offline preview does not answer {token}; mocks cannot know what it returns "
                   "(the invokes it answers: README.md, \"What the offline preview is\")\n")


def test_region_lookups_answer_for_the_region_asked_for(tmp_path):
    program = _program(tmp_path, """
eu = aws.Provider("eu", region="eu-west-1")
through = pulumi.InvokeOptions(provider=eu)
pulumi.export("stack", aws.get_region().region)
pulumi.export("asked", aws.get_region(region="ap-northeast-1").region)
pulumi.export("provider", aws.get_region(opts=through).region)
pulumi.export("zones", aws.get_availability_zones(opts=through).zone_ids)
pulumi.export("elb", aws.elb.get_service_account(region="eu-central-1").region)
""")
    result = run_preview("test", program)
    assert result.error is None, result.error
    assert result.outputs == {"stack": "us-east-1", "asked": "ap-northeast-1", "provider": "eu-west-1",
                              "zones": ["euw1-az1", "euw1-az2", "euw1-az4"], "elb": "eu-central-1"}


def test_the_answers_carry_every_field_the_providers_results_have(tmp_path):
    """A field the result class has and the answer lacked read as None: `None.us-east-1.s3`."""
    program = _program(tmp_path, """
partition = aws.get_partition()
pulumi.export("service", f"{partition.reverse_dns_prefix}.us-east-1.s3")
pulumi.export("about", aws.get_region(region="eu-central-2").description)
zones = aws.get_availability_zones(region="eu-west-1")
pulumi.export("zones", [zones.group_names, zones.region])
# Most accounts see two zones in us-west-1: usw1-az2 takes no new ones.
pulumi.export("usWest1", aws.get_availability_zones(region="us-west-1").zone_ids)
pulumi.export("byId", aws.route53.get_zone(zone_id="Z0734197A1B2C3D4E5F6").zone_id)
pulumi.export("byName", aws.route53.get_zone(name="example.org.").name)
# A zone by id is named as the stack file names it (dev's), else a stand-in in example.com; by both, as asked.
zones = ("Z07341052DEVSHOPEXMPL", "Z0734197A1B2C3D4E5F6")
pulumi.export("named", [aws.route53.get_zone(zone_id=z).name for z in zones])
pulumi.export("both", aws.route53.get_zone(zone_id="Z07341052DEVSHOPEXMPL", name="dev.shop.example.com.").name)
""")
    result = run_preview("test", program)
    assert result.error is None, result.error
    assert result.outputs == {"service": "com.amazonaws.us-east-1.s3", "about": "Europe (Zurich)",
                              "zones": [["eu-west-1-zg-1"], "eu-west-1"], "usWest1": ["usw1-az1", "usw1-az3"],
                              "byId": "Z0734197A1B2C3D4E5F6",
                              "byName": "example.org", "named": ["dev.shop.example.com", "example.com"],
                              "both": "dev.shop.example.com"}


OIDC_PROVIDER = "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider"


@pytest.mark.parametrize("args, prop, reason", [
    ({"url": "token.actions.githubusercontent.com"}, "url", "has to use HTTPS scheme"),
    ({"url": "http://token.actions.githubusercontent.com"}, "url", "has to use HTTPS scheme"),
    ({"url": "https://token.actions.githubusercontent.com?aud=sts"}, "url", "cannot contain query parameters"),
    ({}, "arn", "one of `arn,url` must be specified"),
    ({"arn": "arn:aws:iam::123456789012:oidc-provider/gitlab.com", "url": "https://gitlab.com"}, "arn",
     "only one of `arn,url` can be specified"),
])
def test_an_oidc_provider_lookup_the_data_source_refuses_is_refused(args, prop, reason):
    """terraform-provider-aws's data source: exactly one of arn and url (ExactlyOneOf), a URL with https and no
    query (validOpenIDURL)."""
    with pytest.raises(InvokeFailure) as failure:
        ANSWERS[OIDC_PROVIDER](args, None)
    assert failure.value.prop == prop and reason in failure.value.reason


def test_an_oidc_provider_asked_for_without_https_fails_the_preview(tmp_path):
    program = _program(tmp_path, 'aws.iam.get_open_id_connect_provider(url="token.actions.githubusercontent.com")\n')
    assert run_preview("test", program).error == (
        f"the program failed: Exception: invoke of {OIDC_PROVIDER} failed: \"url\" has to use HTTPS scheme (i.e. "
        "begin with https://) (url) (__main__.py:6)")


def test_the_elb_account_is_the_regions_own_and_a_region_without_one_is_refused_as_the_provider_does(tmp_path):
    # The provider's table (internal/service/elb/service_account_data_source.go), a few of its rows.
    accounts = {"eu-west-1": "156460612806", "us-west-2": "797873946194", "ap-southeast-3": "589379963580",
                "us-gov-west-1": "048591011584"}
    program = _program(tmp_path, "".join(f'pulumi.export("{r}", aws.elb.get_service_account(region="{r}").arn)\n'
                                         for r in accounts))
    assert run_preview("test", program).outputs == {r: f"arn:aws:iam::{a}:root" for r, a in accounts.items()}
    program = _program(tmp_path, 'pulumi.export("elb", aws.elb.get_service_account(region="eu-central-2").arn)\n')
    assert run_preview("test", program).error == (
        "the program failed: Exception: invoke of aws:elb/getServiceAccount:getServiceAccount failed: unsupported "
        "AWS Region: eu-central-2 (region) (__main__.py:6)")


def test_an_aws_endpoint_service_is_offered_in_the_previews_zones_and_a_partners_is_not_answered(tmp_path):
    """Which zones a service is missing from is AWS's to say: offline, an AWS service is in every stand-in zone of
    the region asked for; a partner's service, or one of another region, is what exists in the account."""
    program = _program(tmp_path, "\n".join([
        'logs = aws.ec2.get_vpc_endpoint_service(service_name="com.amazonaws.us-east-1.logs",',
        '                                        service_type="Interface")',
        'pulumi.export("zones", logs.availability_zones)',
        'pulumi.export("dns", logs.private_dns_name)',
        'west = aws.Provider("west", region="us-west-1")',
        'ecr = aws.ec2.get_vpc_endpoint_service(service_name="com.amazonaws.us-west-1.ecr.api",',
        '                                       opts=pulumi.InvokeOptions(provider=west))',
        'pulumi.export("west", ecr.availability_zones)', ""]))
    result = run_preview("test", program)
    assert result.outputs == {"zones": ["us-east-1a", "us-east-1b", "us-east-1c"],
                              "dns": "logs.us-east-1.amazonaws.com", "west": ["us-west-1a", "us-west-1c"]}, result.error
    token = "aws:ec2/getVpcEndpointService:getVpcEndpointService"
    for call in ('service_name="com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"',
                 'service_name="com.amazonaws.eu-west-1.logs"',
                 'service_name="com.amazonaws.us-east-1.logs", service_type="Gateway"'):
        program = _program(tmp_path, f'aws.ec2.get_vpc_endpoint_service({call})\n')
        assert run_preview("test", program).error == unanswered(token), call
    program = _program(tmp_path, 's3 = aws.ec2.get_vpc_endpoint_service(service_name="com.amazonaws.us-east-1.s3",\n'
                                 '                                     service_type="Gateway")\n'
                                 'pulumi.export("s3", [s3.service_type, s3.private_dns_name or "no private DNS"])\n')
    assert run_preview("test", program).outputs == {"s3": ["Gateway", "no private DNS"]}
    # S3 has a gateway and an interface service under one name: without a type, the provider's data source refuses.
    program = _program(tmp_path, 'aws.ec2.get_vpc_endpoint_service(service_name="com.amazonaws.us-east-1.s3")\n')
    assert run_preview("test", program).error == (
        f"the program failed: Exception: invoke of {token} failed: multiple EC2 VPC Endpoint Services matched; use "
        "additional constraints to reduce matches to a single EC2 VPC Endpoint Service (serviceType) (__main__.py:6)")
