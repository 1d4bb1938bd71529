"""Stack policies against wirings AWS and pulumi-aws allow, and values a first preview does not know yet: a finding
only where AWS would see the problem, and never one more with a value unknown."""
from __future__ import annotations

import copy
import json

from tests.test_policies_mutations import ACCOUNT, DENY_SC, SMRW, document, res, rest_api, s3, service_connect
from tests.test_policies_support import UNKNOWN, Res, analyze, findings


def found(resources: list, policy: str) -> set:
    return {(name, message) for p, name, message in findings(analyze(resources)) if p == policy}


def named(resources: list, name: str) -> Res:
    return next(r for r in resources if r.name == name)


def test_a_lock_configuration_enables_object_lock_on_the_trail_bucket():
    """pulumi-aws 7's BucketObjectLockConfiguration turns the lock on for a new or existing bucket (its
    objectLockEnabled defaults to Enabled), as its own example does with a bucket that does not set it."""
    resources = s3()
    del named(resources, "bucket").props["objectLockEnabled"]
    assert found(copy.deepcopy(resources), "s3-bucket-trail-object-lock") == set()
    del named(resources, "lock").props["objectLockEnabled"]
    assert found(copy.deepcopy(resources), "s3-bucket-trail-object-lock") == set()
    resources = [r for r in resources if r.name != "lock"]
    assert found(resources, "s3-bucket-trail-object-lock") == {(
        "bucket", "trail bucket bucket: objectLockEnabled is not true; no object lock configuration with a "
                  "COMPLIANCE default retention")}


def _split_deny(deny_document) -> list[Res]:
    """A task role whose managed policy reads every secret, and whose ecs-sc! Deny is a RolePolicy of its own."""
    resources = service_connect()
    role = named(resources, "task-role")
    role.props["inlinePolicies"], role.props["managedPolicyArns"] = [], [SMRW]
    return [*resources, Res("aws:iam/rolePolicy:RolePolicy", "deny-sc",
                            {"role": "orders-task", "policy": deny_document}, {"role": ["task-role"]})]


def test_an_unknown_role_policy_could_hold_the_deny():
    policy = "iam-task-role-no-ecs-sc-secrets"
    assert found(_split_deny(document(DENY_SC)), policy) == set()
    assert found(_split_deny(UNKNOWN), policy) == set()
    assert found(_split_deny(document({**DENY_SC, "Action": "secretsmanager:DescribeSecret"})), policy)


def _egress_rule(**overrides) -> list[Res]:
    rule = {"securityGroupId": "payments-id", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
            "cidrIpv4": "0.0.0.0/0", **overrides}
    return [res("aws:ec2/securityGroup:SecurityGroup", "payments", name="payments", id="payments-id"),
            Res("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "out", rule,
                {"securityGroupId": ["payments"]})]


def test_an_egress_rule_whose_ports_are_unknown_is_not_judged_yet():
    policy = "ec2-securitygroup-egress-restricted"
    assert found(_egress_rule(fromPort=22, toPort=22), policy) == {
        ("out", "egress rule (tcp 22) of security group payments sends tcp 22 to 0.0.0.0/0; only tcp 443 may leave "
                "for the internet")}
    known = found(_egress_rule(), policy)
    for unknown in ({"fromPort": UNKNOWN}, {"toPort": UNKNOWN}, {"ipProtocol": UNKNOWN}):
        assert found(_egress_rule(**unknown), policy) <= known
    # What is known already rules tcp 443 out: reported, the unknown part shown as ?.
    for rule, ports in (({"ipProtocol": "-1", "fromPort": UNKNOWN, "toPort": UNKNOWN}, "all traffic"),
                        ({"ipProtocol": "udp", "toPort": UNKNOWN}, "udp 443-?"),
                        ({"fromPort": 22, "toPort": UNKNOWN}, "tcp 22-?"),
                        ({"ipProtocol": UNKNOWN, "fromPort": 22, "toPort": 22}, "? 22")):
        assert found(_egress_rule(**rule), policy) == {
            ("out", f"egress rule ({ports}) of security group payments sends {ports} to 0.0.0.0/0; only tcp 443 may "
                    f"leave for the internet")}, rule


def test_a_classic_load_balancer_may_admit_the_internet():
    def stack(internal: bool) -> list[Res]:
        return [res("aws:ec2/securityGroup:SecurityGroup", "elb-sg", name="elb-sg", id="sg-elb",
                    ingress=[{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]),
                res("aws:elb/loadBalancer:LoadBalancer", "classic", {"securityGroups": ["elb-sg"]}, internal=internal,
                    securityGroups=["sg-elb"], subnets=["subnet-a"],
                    listeners=[{"instancePort": 8080, "instanceProtocol": "http", "lbPort": 443, "lbProtocol": "https",
                                "sslCertificateId": ACCOUNT.format("acm", "certificate/1")}])]

    assert found(stack(internal=False), "ec2-securitygroup-no-public-ingress") == set()
    assert [name for name, _ in found(stack(internal=True), "ec2-securitygroup-no-public-ingress")] == ["elb-sg"]


def test_a_cas_unknown_tags_are_not_judged_yet():
    resources = service_connect()
    known = findings(analyze(copy.deepcopy(resources)))
    named(resources, "ca").props["tags"] = UNKNOWN
    assert findings(analyze(resources)) <= known
    named(resources, "ca").props["tags"] = {"Owner": "platform-team"}
    assert found(resources, "acmpca-ca-service-connect-tag") == {
        ("ca", "certificate authority ca: tag AmazonECSManaged is missing; Service Connect uses only CAs tagged "
               "AmazonECSManaged=true")}


def test_a_service_without_a_cluster_runs_in_the_default_cluster_outside_the_stack():
    def service(cluster) -> list[Res]:
        resources = service_connect()
        svc = named(resources, "svc")
        del svc.props["serviceConnectConfiguration"]["namespace"]
        svc.refs["cluster"] = []
        if cluster is None:
            del svc.props["cluster"]
        else:
            svc.props["cluster"] = cluster
        return resources

    policy = "ecs-service-connect-namespace"
    assert found(service(None), policy) == found(service("default"), policy) == set()


def test_a_rest_api_put_body_that_requires_api_keys_asks_for_a_usage_plan():
    """A RestApiPut puts the same methods on an API as its own body would (apigateway/__init__.py)."""
    body = json.dumps({"openapi": "3.0.1", "info": {"title": "shop", "version": "1"},
                       "paths": {"/orders": {"get": {"security": [{"api_key": []}]}}},
                       "components": {"securitySchemes": {"api_key": {"type": "apiKey", "name": "x-api-key",
                                                                      "in": "header"}}}})

    def stack(put: bool, api_id=None) -> list[Res]:
        resources = [r for r in rest_api() if r.name not in ("method", "plan")]
        if put:
            resources.append(Res("aws:apigateway/restApiPut:RestApiPut", "put",
                                 {"restApiId": api_id or "api-id", "body": body}, {"restApiId": ["api"]}))
        else:
            named(resources, "api").props["body"] = body
        return resources

    policy = "apigateway-stage-usage-plan"
    inline = found(stack(put=False), policy)
    assert inline and found(stack(put=True), policy) == inline
    assert found(stack(put=True, api_id=UNKNOWN), policy) <= inline
    assert found([r for r in stack(put=True) if r.name != "put"], policy) == set()  # no method asks for a key


def _ssh_on_a_group_by_id(*others: Res) -> list[Res]:
    """SSH from anywhere on a group the program names by its id (one that exists outside the stack)."""
    return [*others, Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh",
                         {"securityGroupId": "sg-0123456789abcdef0", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                          "cidrIpv4": "0.0.0.0/0"})]


def test_a_group_named_by_its_id_is_judged_while_the_stacks_own_groups_ids_are_unknown():
    """A security group's id is AWS's to make up when it creates the group: a first preview does not know the ids
    of the groups it creates, but an id written in the program cannot name one of them. SSH from anywhere on a
    group named by id, and on a group beside an internet-facing load balancer that names another group by id,
    went unreported in a first preview as "can't tell which group"."""
    policy = "ec2-securitygroup-no-public-ingress"
    message = ("ingress rule (tcp 22) of its security group admits 0.0.0.0/0; only an internet-facing load balancer "
               "may, and workloads take traffic from their callers' security groups")
    for group_id in ("app-id", UNKNOWN):
        other = res("aws:ec2/securityGroup:SecurityGroup", "app", name="app", id=group_id, arn=group_id)
        assert found(_ssh_on_a_group_by_id(other), policy) == {("ssh", message)}
    app = res("aws:ec2/securityGroup:SecurityGroup", "app", name="app", id=UNKNOWN, arn=UNKNOWN)
    alb = res("aws:lb/loadBalancer:LoadBalancer", "alb", internal=False, loadBalancerType="application",
              securityGroups=["sg-0fedcba9876543210"], subnets=["subnet-1", "subnet-2"])
    open_app = Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-ssh",
                   {"securityGroupId": UNKNOWN, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                    "cidrIpv4": "0.0.0.0/0"}, {"securityGroupId": ["app"]})
    assert ("app-ssh", message.replace("its security group", "security group app")) in found([app, alb, open_app],
                                                                                            policy)
    # A value the program cannot know yet (another stack's output, no dependency) still leaves it open.
    unknown = Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh",
                  {"securityGroupId": UNKNOWN, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                   "cidrIpv4": "0.0.0.0/0"})
    assert found([app, unknown], policy) == set()
