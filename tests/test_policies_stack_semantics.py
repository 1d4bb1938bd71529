"""Stack policies against wirings AWS and pulumi-aws allow, and values a first preview does not know yet: a finding
only where AWS would see the problem, and never one more with a value unknown."""
from __future__ import annotations

import copy
import json

import pytest

from tests.test_policies_mutations import (ACCOUNT, DENY_SC, OPEN_TO_ALL, QUEUE_URL, SMRW, document, res, rest_api, s3,
                                         service_connect)
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
    message = ("ingress rule (tcp 22) of security group sg-0123456789abcdef0 admits 0.0.0.0/0; only an internet-facing "
               "load balancer may, and workloads take traffic from their callers' security groups")
    for group_id in ("app-id", UNKNOWN):
        other = res("aws:ec2/securityGroup:SecurityGroup", "app", name="app", id=group_id, arn=group_id)
        assert found(_ssh_on_a_group_by_id(other), policy) == {("ssh", message)}
    app = res("aws:ec2/securityGroup:SecurityGroup", "app", name="app", id=UNKNOWN, arn=UNKNOWN)
    alb = res("aws:lb/loadBalancer:LoadBalancer", "alb", internal=False, loadBalancerType="application",
              securityGroups=["sg-0fedcba9876543210"], subnets=["subnet-1", "subnet-2"])
    open_app = Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-ssh",
                   {"securityGroupId": UNKNOWN, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                    "cidrIpv4": "0.0.0.0/0"}, {"securityGroupId": ["app"]})
    assert ("app-ssh", message.replace("sg-0123456789abcdef0", "app")) in found([app, alb, open_app],
                                                                                            policy)
    # A value the program cannot know yet (another stack's output, no dependency) still leaves it open.
    unknown = Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh",
                  {"securityGroupId": UNKNOWN, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                   "cidrIpv4": "0.0.0.0/0"})
    assert found([app, unknown], policy) == set()


def _public_alb(*rules: dict, listener_ports=(443,), also_on=None) -> list[Res]:
    """An internet-facing ALB with its group, listeners on `listener_ports`, and ingress rules on the group
    (`also_on`: another resource that puts the same group on its interfaces)."""
    group = res("aws:ec2/securityGroup:SecurityGroup", "alb-sg", name="alb-sg", id="alb-sg-id", arn="alb-sg-arn")
    alb = Res("aws:lb/loadBalancer:LoadBalancer", "alb",
              {"internal": False, "loadBalancerType": "application", "securityGroups": ["alb-sg-id"],
               "arn": "alb-arn", "id": "alb-arn"}, {"securityGroups": ["alb-sg"]})
    listeners = [Res("aws:lb/listener:Listener", f"listener-{port}", {"loadBalancerArn": "alb-arn", "port": port},
                     {"loadBalancerArn": ["alb"]}) for port in listener_ports]
    holders = [Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", f"in-{i}",
                   {"securityGroupId": "alb-sg-id", **rule}, {"securityGroupId": ["alb-sg"]})
               for i, rule in enumerate(rules)]
    return [group, alb, *listeners, *holders, *([also_on] if also_on else [])]


HTTPS_FROM_ANYWHERE = {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}
SSH_FROM_ANYWHERE = {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}


def _rule_on(group_id, rule: dict, name: str = "rule", deps: dict | None = None) -> Res:
    return Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name,
               {"securityGroupId": group_id, **rule}, deps or {})


def test_a_rule_whose_group_is_unknown_is_not_judged_where_it_may_be_a_load_balancers_group_from_elsewhere():
    """A load balancer on a group made outside the stack exempts that group's rules; a rule whose group id is
    unknown until the update (another stack's output) may name that group, so it is not judged until then."""
    policy = "ec2-securitygroup-no-public-ingress"
    reference = Res("pulumi:pulumi:StackReference", "network", {"outputs": UNKNOWN})
    elsewhere = _public_alb()
    elsewhere[1] = Res("aws:lb/loadBalancer:LoadBalancer", "alb", {
        "internal": False, "loadBalancerType": "application", "securityGroups": ["alb-sg-id", "sg-0shared"],
        "arn": "alb-arn", "id": "alb-arn"}, {"securityGroups": ["alb-sg"]})
    for deps in ({}, {"securityGroupId": ["network"]}):
        known = _rule_on("sg-0shared", HTTPS_FROM_ANYWHERE, deps=deps)
        unknown = _rule_on(UNKNOWN, HTTPS_FROM_ANYWHERE, deps=deps)
        assert found([*elsewhere, reference, known], policy) == set()
        assert found([*elsewhere, reference, unknown], policy) == set()
    # SSH on another stack's group is reported whichever group the id turns out to be: the load balancer listens on
    # 443 alone. (With no dependency the id may be one of the stack's groups, which the config may approve.)
    ssh = _rule_on(UNKNOWN, SSH_FROM_ANYWHERE, deps={"securityGroupId": ["network"]})
    assert {name for name, _ in found([*elsewhere, reference, ssh], policy)} == {"rule"}
    # Unless the config approves groups by a pattern the id may match: the group it turns out to be may be approved.
    # A pattern that matches no id (`sg-` and 8 or 17 hex digits) approves only the stack's own groups, by name.
    for patterns, judged in ((["sg-0b5a7104"], False), (["sg-0b*"], False), (["SG-0???????"], False),
                             (["bastion-*", "web-public"], True), (["sg", "s", "sg-0bastion"], True),
                             (["*-lb", "*payment*", "[!s]*"], True)):
        approving = {policy: {"publicGroups": patterns}}
        reported = {p for p, _, _ in findings(analyze([*elsewhere, reference, ssh], approving))} & {policy}
        assert reported == ({policy} if judged else set()), patterns
    # A load balancer's group shared with a service is reported whichever the id turns out to be.
    service = Res("aws:ecs/service:Service", "orders", {"networkConfiguration": {
        "securityGroups": ["sg-0shared"], "subnets": ["subnet-1"]}}, {})
    https = _rule_on(UNKNOWN, HTTPS_FROM_ANYWHERE, deps={"securityGroupId": ["network"]})
    assert {name for name, _ in found([*elsewhere, reference, service, https], policy)} == {"rule"}
    # With the load balancer on the stack's own group alone, another stack's group is not its group.
    assert found([*_public_alb(), reference, _rule_on(UNKNOWN, HTTPS_FROM_ANYWHERE,
                                                      deps={"securityGroupId": ["network"]})], policy) == {(
        "rule", "ingress rule (tcp 443) of its security group admits 0.0.0.0/0; only an internet-facing load balancer "
                "may, and workloads take traffic from their callers' security groups")}


def test_an_egress_rule_on_an_unknown_group_is_not_judged_where_the_config_may_approve_its_id():
    """httpsEgressGroups approves a group made elsewhere by its id; an id unknown until the update may be one."""
    policy = "ec2-securitygroup-egress-restricted"
    reference = Res("pulumi:pulumi:StackReference", "network", {"outputs": UNKNOWN})
    endpoint = Res("aws:ec2/vpcEndpoint:VpcEndpoint", "logs", {
        "serviceName": "com.amazonaws.us-east-1.logs", "vpcEndpointType": "Interface", "privateDnsEnabled": True,
        "vpcId": "vpc-1"}, {})
    to_internet = {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}
    for group_id, patterns, judged in (("sg-0abc", ["sg-0*"], False), (UNKNOWN, ["sg-0*"], False),
                                       (UNKNOWN, ["payments"], True), ("sg-0abc", ["payments"], True)):
        rule = Res("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "out",
                   {"securityGroupId": group_id, **to_internet}, {"securityGroupId": ["network"]})
        config = {policy: {"httpsEgressGroups": patterns}}
        reported = {p for p, _, _ in findings(analyze([reference, endpoint, rule], config))} & {policy}
        assert reported == ({policy} if judged else set()), (group_id, patterns)


def test_a_load_balancers_unknown_group_spares_only_the_rules_it_could_exempt():
    """Where an unknown may put a group on an internet-facing load balancer, a rule on a port it does not listen
    on is reported all the same: exempt or not, it would be."""
    policy = "ec2-securitygroup-no-public-ingress"
    alb = _public_alb()
    alb[1] = Res("aws:lb/loadBalancer:LoadBalancer", "alb", {
        "internal": False, "loadBalancerType": "application", "securityGroups": [UNKNOWN], "arn": "alb-arn",
        "id": "alb-arn"}, {})
    for group_id in ("sg-0other", "alb-sg-id"):
        assert found([*alb, _rule_on(group_id, HTTPS_FROM_ANYWHERE)], policy) == set()
        assert {name for name, _ in found([*alb, _rule_on(group_id, SSH_FROM_ANYWHERE)], policy)} == {"rule"}


def test_a_public_load_balancers_group_admits_the_internet_only_on_its_listener_ports_and_only_its_own():
    """The exemption was the whole group, whatever the port or whoever else used the group: SSH from anywhere
    on the ALB's group passed, and so did an instance or ECS service sharing it."""
    policy = "ec2-securitygroup-no-public-ingress"
    assert found(_public_alb(HTTPS_FROM_ANYWHERE), policy) == set()
    assert found(_public_alb(HTTPS_FROM_ANYWHERE, SSH_FROM_ANYWHERE), policy) == {(
        "in-1", "ingress rule (tcp 22) of security group alb-sg admits 0.0.0.0/0; its internet-facing load balancer "
                "listens on no such port; admit the internet only on the listeners' ports")}
    everything = {"ipProtocol": "-1", "fromPort": 0, "toPort": 0, "cidrIpv4": "0.0.0.0/0"}
    assert {name for name, _ in found(_public_alb(everything), policy)} == {"in-0"}
    # Listeners elsewhere (none in the stack), or one whose balancer cannot be told: any port, as before.
    assert found(_public_alb(SSH_FROM_ANYWHERE, listener_ports=()), policy) == set()
    unknown_listener = [*_public_alb(SSH_FROM_ANYWHERE, listener_ports=()),
                        Res("aws:lb/listener:Listener", "other", {"loadBalancerArn": UNKNOWN, "port": 443})]
    assert found(unknown_listener, policy) == set()
    # The same group on a service's tasks takes the internet to them too.
    service = Res("aws:ecs/service:Service", "orders",
                  {"networkConfiguration": {"securityGroups": ["alb-sg-id"], "subnets": ["subnet-1"]}},
                  {"networkConfiguration": ["alb-sg"]})
    assert found(_public_alb(HTTPS_FROM_ANYWHERE, also_on=service), policy) == {(
        "in-0", "ingress rule (tcp 443) of security group alb-sg admits 0.0.0.0/0; its internet-facing load balancer "
                "shares the group with ECS service orders, which takes the internet too; give the load balancer a "
                "group of its own")}
    # A Classic Load Balancer's listeners are its own.
    classic = Res("aws:elb/loadBalancer:LoadBalancer", "clb",
                  {"securityGroups": ["alb-sg-id"], "listeners": [{"lbPort": 443, "lbProtocol": "https"}]},
                  {"securityGroups": ["alb-sg"]})
    resources = [r for r in _public_alb(HTTPS_FROM_ANYWHERE, SSH_FROM_ANYWHERE) if r.type.startswith("aws:vpc")]
    group = res("aws:ec2/securityGroup:SecurityGroup", "alb-sg", name="alb-sg", id="alb-sg-id", arn="alb-sg-arn")
    assert {name for name, _ in found([group, classic, *resources], policy)} == {"in-1"}


def test_a_first_preview_reads_a_group_made_from_another_group_as_itself():
    """The ALB's group sends only to the workload's (its egress names that group, so it is made from it). In a first
    preview every id is unknown and made from its group alone: a value made from a group names that group, not one
    the group is made from, so SSH from anywhere is still found on the ALB's group."""
    policy = "ec2-securitygroup-no-public-ingress"
    resources = _public_alb(HTTPS_FROM_ANYWHERE, SSH_FROM_ANYWHERE)
    app = res("aws:ec2/securityGroup:SecurityGroup", "app-sg", name="app-sg", id="app-sg-id", arn="app-sg-arn")
    group = named(resources, "alb-sg")
    group.props["egress"] = [{"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "securityGroups": ["app-sg-id"]}]
    group.refs["egress"] = ["app-sg"]
    resources.append(app)
    known = found(copy.deepcopy(resources), policy)
    assert {name for name, _ in known} == {"in-1"}
    for resource in resources:
        for key in ("id", "arn", "securityGroupId", "loadBalancerArn"):
            if key in resource.props:
                resource.props[key] = UNKNOWN
    named(resources, "alb").props["securityGroups"] = [UNKNOWN]
    group.props["egress"][0]["securityGroups"] = [UNKNOWN]
    assert found(resources, policy) == known


def test_blocks_that_add_up_to_every_public_address_are_the_internet():
    """0.0.0.0/1, 128.0.0.0/2 and 192.0.0.0/3 leave out only multicast and reserved space: every host on the
    internet. Blocks that leave out public space are not."""
    policy = "ec2-securitygroup-no-public-ingress"

    def ssh_from(*cidrs: str) -> set:
        group = res("aws:ec2/securityGroup:SecurityGroup", "app", name="app", id="app-id", ingress=[
            {"protocol": "tcp", "fromPort": 22, "toPort": 22,
             "cidrBlocks": [c for c in cidrs if ":" not in c], "ipv6CidrBlocks": [c for c in cidrs if ":" in c]}])
        return found([group], policy)

    assert ssh_from("0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3") == {(
        "app", "ingress rule ingress[0] (tcp 22) of security group app admits 0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3; "
               "only an internet-facing load balancer may, and workloads take traffic from their callers' security "
               "groups")}
    assert {m.split(" admits ")[1].split(";")[0] for _, m in ssh_from("2000::/3")} == {"2000::/3"}
    assert ssh_from("0.0.0.0/1", "128.0.0.0/2") == set()  # 192.0.0.0-223.255.255.255 left out
    assert ssh_from("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "2001:db8::/32") == set()


def test_a_service_names_its_security_groups_whether_or_not_their_ids_are_known_yet():
    """ECS puts the VPC's default group on tasks whose service names none. A group the program makes has an id
    unknown in a first preview: the policy reads the list item by item, so that is neither a finding nor a check
    that cannot run."""
    def service(groups) -> Res:
        return Res("aws:ecs/service:Service", "orders", {"launchType": "FARGATE", "networkConfiguration": {
            "subnets": ["subnet-1"], **({} if groups is None else {"securityGroups": groups})}})

    policy = "ecs-service-security-groups"
    for groups in ([UNKNOWN], UNKNOWN, ["sg-0123456789abcdef0"]):
        report = analyze([service(groups)])
        assert found([service(groups)], policy) == set()
        assert not [v for v in report.not_run if v.policy == policy]
    for groups in (None, []):
        assert found([service(groups)], policy) == {(
            "orders", "networkConfiguration.securityGroups is empty, so ECS puts the VPC's default security group on "
                      "the tasks; name a group of their own")}


def test_a_trail_records_every_management_event_or_says_what_it_leaves_out():
    """CloudTrail.1 asks for read and write management events in every region: event selectors or advanced ones
    may leave some out, and a trail may be switched off. Selectors add up; an unknown one, at any depth, is not
    judged."""
    policy = "cloudtrail-trail-multi-region"

    def verdict(**props) -> set:
        trail = res("aws:cloudtrail/trail:Trail", "trail", **{"s3BucketName": "archive", "isMultiRegionTrail": True,
                                                              **props})
        return {message for _, message in found([trail], policy)}

    management = {"field": "eventCategory", "equals": ["Management"]}
    data = [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]
    kms_out = {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]}
    reads, writes = {"field": "readOnly", "equals": ["true"]}, {"field": "readOnly", "equals": ["false"]}
    # An organization trail is asked the same (it records the member accounts too).
    for passing in ({}, {"enableLogging": True}, {"isOrganizationTrail": True},
                    {"eventSelectors": [{"readWriteType": "All"}]},
                    {"eventSelectors": [{"readWriteType": "ReadOnly"}, {"readWriteType": "WriteOnly"}]},
                    {"eventSelectors": [{"readWriteType": "WriteOnly"}, {"includeManagementEvents": True}]},
                    {"eventSelectors": [{"excludeManagementEventSources": ["kms.amazonaws.com"]}, {}]},
                    {"advancedEventSelectors": [{"fieldSelectors": data}, {"fieldSelectors": [management]}]},
                    {"advancedEventSelectors": [{"fieldSelectors": [management, reads]},
                                                {"fieldSelectors": [management, writes]}]},
                    # Unknown, at any depth: not judged.
                    {"eventSelectors": UNKNOWN}, {"eventSelectors": [UNKNOWN]},
                    {"eventSelectors": [{"readWriteType": UNKNOWN}]},
                    {"eventSelectors": [{}, {"excludeManagementEventSources": UNKNOWN}]},
                    {"advancedEventSelectors": [{"fieldSelectors": UNKNOWN}]},
                    {"advancedEventSelectors": [{"fieldSelectors": [{"field": UNKNOWN, "equals": ["Management"]}]}]},
                    {"advancedEventSelectors": [{"fieldSelectors": [{"field": "eventCategory", "equals": UNKNOWN}]}]}):
        assert verdict(**passing) == set(), passing
    assert verdict(isOrganizationTrail=True, eventSelectors=[{"readWriteType": "WriteOnly"}]) == {
        "the event selectors record no read management events"}
    assert verdict(enableLogging=False) == verdict(enableLogging="false") == {
        "enableLogging is false; the trail records nothing"}
    assert verdict(eventSelectors=[{"readWriteType": "ReadOnly"}, {"includeManagementEvents": False}]) == {
        "the event selectors record no write management events"}
    assert verdict(eventSelectors=[{"excludeManagementEventSources": ["kms.amazonaws.com", "rdsdata.amazonaws.com"]},
                                   {"readWriteType": "WriteOnly",
                                    "excludeManagementEventSources": ["kms.amazonaws.com"]}]) == {
        "the event selectors leave out the management events of kms.amazonaws.com, rdsdata.amazonaws.com"}
    # A trail of data events only sits beside the one that records management events (Security Hub's control asks
    # the account for one): not judged, wherever it records and whether or not it is on. Selecting nothing at all
    # is no such trail.
    only_data = [{"advancedEventSelectors": [{"fieldSelectors": data}]},
                 {"eventSelectors": [{"includeManagementEvents": False, "dataResources": [
                     {"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]}]
    for selectors in only_data:
        assert verdict(**selectors) == verdict(**selectors, isMultiRegionTrail=False, enableLogging=False) == set()
    assert verdict(eventSelectors=[{"includeManagementEvents": False}]) == {
        "the event selectors record no read or write management events"}
    assert verdict(advancedEventSelectors=[{"fieldSelectors": data}, {"fieldSelectors": [management, writes]}]) == {
        "the advanced event selectors record no read management events"}
    network_activity = [{"field": "eventCategory", "equals": ["NetworkActivity"]},
                        {"field": "eventSource", "equals": ["kms.amazonaws.com"]}]
    assert verdict(advancedEventSelectors=[{"fieldSelectors": network_activity}], isMultiRegionTrail=False) == set()
    # Data resources beside management events left on (the default) are a management trail with more.
    assert verdict(eventSelectors=[{"dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}],
                   isMultiRegionTrail=False) == {
        "isMultiRegionTrail is not true; the trail records only its own region"}

    def judged(**props) -> tuple[set, bool]:
        """The findings on a single-region trail, and whether the check could not run."""
        trail = res("aws:cloudtrail/trail:Trail", "trail", **{"s3BucketName": "archive", "isMultiRegionTrail": False,
                                                              **props})
        return found([trail], policy), any(v.policy == policy for v in analyze([trail]).not_run)

    single = {("trail", "isMultiRegionTrail is not true; the trail records only its own region")}
    # An unknown value that cannot make it a trail of other events only leaves it judged...
    for selectors in ({"eventSelectors": [{"readWriteType": "All"},
                                          {"includeManagementEvents": False, "dataResources": UNKNOWN}]},
                      {"advancedEventSelectors": [{"fieldSelectors": [management]},
                                                  {"fieldSelectors": [{"field": "eventCategory", "equals": UNKNOWN}]}]},
                      {"eventSelectors": [{"includeManagementEvents": UNKNOWN}]}):
        assert judged(**selectors) == (single, False), selectors
    # ...and one that may make it either kind leaves the check unable to run, finding nothing.
    for selectors in ({"eventSelectors": UNKNOWN}, {"advancedEventSelectors": [{"fieldSelectors": UNKNOWN}]},
                      {"advancedEventSelectors": [{"fieldSelectors": [{"field": "eventCategory", "equals": UNKNOWN}]}]},
                      {"eventSelectors": [{"includeManagementEvents": UNKNOWN, "dataResources": [
                          {"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]}):
        assert judged(**selectors) == (set(), True), selectors
    assert verdict(advancedEventSelectors=[{"fieldSelectors": [management, writes]}]) == {
        "the advanced event selectors record no read management events"}
    assert verdict(advancedEventSelectors=[{"fieldSelectors": [management, kms_out]}]) == {
        "the advanced event selectors leave out the management events of kms.amazonaws.com"}


def test_a_methods_own_settings_are_judged_on_the_stage_they_are_linked_to():
    """A method's MethodSettings with logging off fail the stage they are linked to, whatever their stage name
    says during preview, and never another stage of the same name they are not linked to."""
    policy, settings = "apigateway-stage-execution-logging", "aws:apigateway/methodSettings:MethodSettings"
    off = {"methodPath": "~1orders/GET", "settings": {"loggingLevel": "OFF"}}
    message = ("stage 'prod': MethodSettings get-settings for ~1orders/GET set loggingLevel OFF, and a method's "
               "settings replace */* for it; set ERROR or INFO")
    here = Res(settings, "get-settings", {"restApi": "api-id", "stageName": UNKNOWN, **off}, {"stageName": ["stage"]})
    assert found(rest_api() + [here], policy) == {("stage", message)}
    # Another API's stage named prod (its id unknown); its method's settings name prod too: they are its, by their
    # links, though which */* settings are its stays open.
    other = [res("aws:apigateway/restApi:RestApi", "other-api", name="other", id=UNKNOWN),
             res("aws:apigateway/stage:Stage", "other-stage", {"restApi": ["other-api"]}, restApi=UNKNOWN,
                 stageName="prod")]
    there = Res(settings, "get-settings", {"restApi": UNKNOWN, "stageName": "prod", **off},
                {"stageName": ["other-stage"], "restApi": ["other-api"]})
    assert ("stage", message) not in found(rest_api() + other + [there], policy)
    assert ("other-stage", message) in found(rest_api() + other + [there], policy)


def test_another_apis_all_methods_settings_of_the_same_stage_name_decide_nothing_while_ids_are_unknown():
    """`*/*` settings naming the stage's name on an API unknown and not linked may be another API's: they add no
    finding (with the API's id known as another, they would be none of the stage's), and the stage's own decide."""
    settings = "aws:apigateway/methodSettings:MethodSettings"
    for api in ("other-api-id", UNKNOWN):
        more = res(settings, "more", restApi=api, stageName="prod", methodPath="*/*", settings={"loggingLevel": "OFF"})
        assert {(p, name) for p, name, _ in findings(analyze(rest_api() + [more]))} == set(), api
    # Without settings of its own, a stage that such settings might cover is not judged; settings linked to it but
    # naming another API known as such are not its, and leave it without any.
    lone = [r for r in rest_api() if r.name != "settings"]
    maybe = res(settings, "maybe", restApi=UNKNOWN, stageName="prod", methodPath="*/*", settings={})
    assert found(lone + [maybe], "apigateway-stage-execution-logging") == set()
    elsewhere = Res(settings, "elsewhere", {"restApi": "other-api-id", "stageName": UNKNOWN, "methodPath": "*/*",
                                            "settings": {"loggingLevel": "OFF"}}, {"stageName": ["stage"]})
    assert found(lone + [elsewhere], "apigateway-stage-execution-logging") == {
        ("stage", "stage 'prod' has no MethodSettings for */* with execution logging")}


def test_a_stage_and_its_settings_on_one_api_id_passed_through_other_resources_are_judged_with_unknown_ids():
    """A REST API's id passed on through a deployment or a RestApiPut (`dep.rest_api`, `put.rest_api_id`) is the same
    API on both sides: the stage's */* settings are surely its in a first preview too, and judged."""
    settings = "aws:apigateway/methodSettings:MethodSettings"
    api = res("aws:apigateway/restApi:RestApi", "api", name="shop", id=UNKNOWN)
    for via, field in (("aws:apigateway/deployment:Deployment", "restApi"),
                       ("aws:apigateway/restApiPut:RestApiPut", "restApiId")):
        middle = Res(via, "middle", {field: UNKNOWN}, {field: ["api"]})
        stage = res("aws:apigateway/stage:Stage", "stage", {"restApi": ["middle"]}, restApi=UNKNOWN,
                    stageName="prod")
        all_methods = Res(settings, "all-methods", {"restApi": UNKNOWN, "stageName": "prod", "methodPath": "*/*",
                                                    "settings": {"loggingLevel": "OFF", "metricsEnabled": True}},
                          {"restApi": ["middle"]})
        assert found([api, middle, stage, all_methods], "apigateway-stage-execution-logging") == {
            ("stage", "stage 'prod' */* loggingLevel is OFF; it must be ERROR or INFO")}, via


def test_method_settings_are_one_stages_by_its_link_or_by_its_api_and_name_never_by_an_unrelated_link():
    """Two MethodSettings for one path of one stage collide; settings are the stage's by their stageName's link, or
    by name on the API both state or make their restApi from. Another API's settings of the same stage name and
    path do not collide, whether its id is known or unknown with an unrelated link to the first API (a dependency
    only orders), and a path unknown until the update is no path."""
    policy, settings = "apigateway-methodsettings-unique", "aws:apigateway/methodSettings:MethodSettings"
    all_methods = {"methodPath": "*/*", "settings": {"loggingLevel": "ERROR", "metricsEnabled": True,
                                                     "throttlingRateLimit": 10, "throttlingBurstLimit": 5}}
    linked = Res(settings, "linked", {"restApi": "api-id", "stageName": UNKNOWN, **all_methods},
                 {"stageName": ["stage"]})
    message = ("MethodSettings settings, linked each set */* on stage 'prod': the path holds whichever values were "
               "written last, and deleting one removes its settings for the others; keep one")
    assert found(rest_api() + [linked], policy) == {(name, message) for name in ("settings", "linked")}
    other_api = [res("aws:apigateway/restApi:RestApi", "other-api", name="other", id=UNKNOWN),
                 res("aws:apigateway/stage:Stage", "other-stage", {"restApi": ["other-api"]}, restApi=UNKNOWN,
                     stageName="prod")]
    unrelated = Res(settings, "other-settings", {"restApi": UNKNOWN, "stageName": "prod", **all_methods},
                    {"restApi": ["other-api"], "settings": ["api"]})
    assert not {name for name, _ in found(rest_api() + other_api + [unrelated], policy)} & {"settings"}
    for change in ({"restApi": "other-api-id"}, {"methodPath": UNKNOWN}):
        another = res(settings, "another", **{"restApi": "api-id", "stageName": "prod", **all_methods, **change})
        assert found(rest_api() + [another], policy) == set(), change
    # Linked to the stage but naming another API: not surely the stage's.
    elsewhere = Res(settings, "elsewhere", {"restApi": "other-api-id", "stageName": UNKNOWN, **all_methods},
                    {"stageName": ["stage"]})
    assert found(rest_api() + [elsewhere], policy) == set()
    # Both with paths unknown: none collide.
    unknown_paths = [res(settings, f"unknown-{i}", restApi="api-id", stageName="prod", methodPath=UNKNOWN)
                     for i in range(2)]
    assert found(rest_api() + unknown_paths, policy) == set()


def _dns(*groups: tuple) -> list[Res]:
    """A VPC and, per group (association priority, [(action, rule priority, domains)]), a rule group associated
    with it, its rules and their domain lists."""
    resources = [res("aws:ec2/vpc:Vpc", "vpc", id="vpc-id", cidrBlock="10.0.0.0/16")]
    for g, (association_priority, rules) in enumerate(groups):
        resources += [res("aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup", f"group{g}", id=UNKNOWN),
                      Res("aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation",
                          f"association{g}", {"vpcId": "vpc-id", "firewallRuleGroupId": UNKNOWN,
                                              "priority": association_priority},
                          {"vpcId": ["vpc"], "firewallRuleGroupId": [f"group{g}"]})]
        for r, (action, priority, domains, *query_type) in enumerate(rules):
            resources += [res("aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList", f"list{g}{r}",
                              id=UNKNOWN, domains=domains),
                          Res("aws:route53/resolverFirewallRule:ResolverFirewallRule", f"rule{g}{r}",
                              {"action": action, "priority": priority, "firewallRuleGroupId": UNKNOWN,
                               "firewallDomainListId": UNKNOWN, **({"qType": query_type[0]} if query_type else {})},
                              {"firewallRuleGroupId": [f"group{g}"], "firewallDomainListId": [f"list{g}{r}"]})]
    return resources


def test_the_dns_firewall_blocks_every_name_it_does_not_allow():
    """An association alone passed: a rule group with no rules, or one allowing every name first, lets every
    name resolve from the VPC. The first rule on a list of every name decides, by association then rule order."""
    policy, config = "route53-vpc-dns-firewall", {"route53-vpc-dns-firewall": {"required": True}}

    def verdict(*groups) -> set:
        return {m for p, _, m in findings(analyze(_dns(*groups), config)) if p == policy}

    allow, block = ("ALLOW", 100, ["api.stripe.com."]), ("BLOCK", 200, ["*."])
    assert verdict((101, [allow, block])) == set()
    assert verdict((101, [allow, ("BLOCK", 200, ["*"])])) == set()
    assert verdict((101, [])) == {
        "VPC vpc: the DNS Firewall rule groups associated with it let every name resolve: no rule blocks every name; "
        "add a BLOCK rule on a domain list of * after the ALLOW rules"}
    assert {m.split(": ")[2] for m in verdict((101, [("ALLOW", 50, ["*."]), block]))} == {
        "its first rule on every name (*) is ALLOW; add a BLOCK rule on a domain list of * after the ALLOW rules"}
    # Another group associated first that allows every name wins; associated after, it never decides.
    assert verdict((101, [("ALLOW", 100, ["*."])]), (200, [allow, block]))
    assert verdict((300, [("ALLOW", 100, ["*."])]), (200, [allow, block])) == set()
    # A block of one query type lets the others (AAAA, TXT) resolve; an allow of one type is a hole all the same.
    assert verdict((101, [allow, ("BLOCK", 200, ["*."], "A")])) == verdict((101, []))
    assert verdict((101, [allow, ("BLOCK", 150, ["*."], "A"), block])) == set()
    assert verdict((101, [("ALLOW", 50, ["*."], "TXT"), block]))
    assert verdict((101, [allow, ("BLOCK", 200, ["*."], UNKNOWN)])) == set()
    # Rules or lists not known: not judged.
    resources = _dns((101, [allow, block]))
    named(resources, "list01").props["domains"] = UNKNOWN
    assert {m for p, _, m in findings(analyze(resources, config)) if p == policy} == set()


def test_the_listener_port_exemption_reads_protocols_and_never_adds_a_finding_for_an_unknown():
    """The exemption takes the listeners' IP protocols (an NLB's UDP, TCP_UDP), a rule whose protocol or ports are
    unknown may still fall within it, a listener naming another stack's balancer by ARN says nothing about this
    one, and a task set sharing the group takes the internet too."""
    policy = "ec2-securitygroup-no-public-ingress"
    assert found(_public_alb({**HTTPS_FROM_ANYWHERE, "fromPort": UNKNOWN, "toPort": UNKNOWN}), policy) == set()
    assert found(_public_alb({**HTTPS_FROM_ANYWHERE, "ipProtocol": UNKNOWN}), policy) == set()
    dns_from_anywhere = {"ipProtocol": "udp", "fromPort": 53, "toPort": 53, "cidrIpv4": "0.0.0.0/0"}

    def nlb(protocol: str, *rules: dict) -> list[Res]:
        resources = _public_alb(*rules, listener_ports=(53,))
        named(resources, "alb").props["loadBalancerType"] = "network"
        named(resources, "listener-53").props["protocol"] = protocol
        return resources

    assert found(nlb("UDP", dns_from_anywhere), policy) == set()
    assert found(nlb("TCP_UDP", dns_from_anywhere, {**dns_from_anywhere, "ipProtocol": "tcp"}), policy) == set()
    assert {name for name, _ in found(nlb("UDP", {**dns_from_anywhere, "ipProtocol": "tcp"}), policy)} == {"in-0"}
    assert {name for name, _ in found(nlb("TCP", {**dns_from_anywhere, "ipProtocol": "17"}), policy)} == {"in-0"}
    elsewhere = Res("aws:lb/listener:Listener", "elsewhere", {"loadBalancerArn": "arn:aws:elasticloadbalancing:"
                    "us-east-1:111122223333:loadbalancer/app/other/50dc6c495c0c9188", "port": 22})
    first_preview = _public_alb(SSH_FROM_ANYWHERE)
    named(first_preview, "alb").props.update(arn=UNKNOWN, id=UNKNOWN)
    for listener in (r for r in first_preview if r.type == "aws:lb/listener:Listener"):
        listener.props["loadBalancerArn"] = UNKNOWN
    assert {name for name, _ in found([*first_preview, elsewhere], policy)} == {"in-0"}
    task_set = Res("aws:ecs/taskSet:TaskSet", "canary",
                   {"networkConfiguration": {"securityGroups": ["alb-sg-id"], "subnets": ["subnet-1"]}},
                   {"networkConfiguration": ["alb-sg"]})
    assert {name for name, _ in found(_public_alb(HTTPS_FROM_ANYWHERE, also_on=task_set), policy)} == {"in-0"}


def test_a_classic_load_balancers_logs_are_off_when_enabled_says_false_in_any_form():
    policy = "elb-loadbalancer-access-logs"

    def classic(**logs) -> list[Res]:
        return [res("aws:elb/loadBalancer:LoadBalancer", "clb", internal=True, subnets=["subnet-1"],
                    listeners=[{"lbPort": 443, "lbProtocol": "https", "instancePort": 8443,
                                "instanceProtocol": "https"}],
                    accessLogs={"bucket": "lb-logs", **logs})]

    assert found(classic(), policy) == found(classic(enabled=True), policy) == set()
    for off in (False, "false", "FALSE"):
        assert found(classic(enabled=off), policy) == {
            ("clb", "accessLogs.enabled is not true; the load balancer keeps no access logs")}


def test_a_public_load_balancer_takes_path_mtu_discovery_icmp_from_anywhere_and_no_other():
    """ELB's security group guidance asks for inbound ICMP for Path MTU Discovery: Destination Unreachable,
    Fragmentation Needed (type 3, code 4) and ICMPv6 Packet Too Big (type 2). Echo and all ICMP stay findings."""
    policy = "ec2-securitygroup-no-public-ingress"

    def icmp(protocol: str, kind: int, code: int, cidr: str = "0.0.0.0/0") -> dict:
        return {"ipProtocol": protocol, "fromPort": kind, "toPort": code,
                ("cidrIpv6" if ":" in cidr else "cidrIpv4"): cidr}

    allowed = [icmp("icmp", 3, 4), icmp("icmp", 3, -1), icmp("1", 3, 4), icmp("icmpv6", 2, 0, "::/0"),
               icmp("58", 2, -1, "::/0")]
    assert found(_public_alb(HTTPS_FROM_ANYWHERE, *allowed), policy) == set()
    refused = [icmp("icmp", 8, -1), icmp("icmp", -1, -1), icmp("icmpv6", 128, -1, "::/0")]
    assert {name for name, _ in found(_public_alb(HTTPS_FROM_ANYWHERE, *refused), policy)} == {"in-1", "in-2",
                                                                                                "in-3"}


def test_a_key_policy_is_public_unless_a_condition_names_its_callers_by_fixed_values():
    """KMS.5's rule counts Principal * public unless a condition pins the caller. Null, IfExists and ForAllValues
    hold when the key is missing (a direct call from another account carries no aws:SourceAccount), negations say
    who is kept out, and wildcards or policy variables name no one."""
    policy = "kms-key-policy-not-public"

    def verdict(condition=None, *, principal="*") -> set:
        statement = {"Sid": "Open", "Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt",
                     "Resource": "*",
                     **({} if condition is None else {"Condition": condition})}
        key = res("aws:kms/key:Key", "key", id="key-id", arn="key-arn", enableKeyRotation=True,
                  policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
        return {name for name, _ in found([key], policy)}

    for pinned in ({"StringEquals": {"kms:CallerAccount": "111122223333",
                                     "kms:ViaService": "s3.us-east-1.amazonaws.com"}},
                   {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
                   {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/*"}},
                   {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}},
                   {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::orders-uploads"}}):
        assert verdict(pinned) == set(), pinned
    for open_ in (None, {"Null": {"aws:SourceAccount": "true"}},
                  {"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}},
                  {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
                  {"StringNotEquals": {"aws:PrincipalAccount": "999999999999"}},
                  {"StringLike": {"kms:CallerAccount": "*1"}}, {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
                  {"StringEquals": {"kms:CallerAccount": "${aws:PrincipalAccount}"}},
                  {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}},
                  {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-*"}},
                  # Under StringLike a wildcard before the account field may swallow a role path holding colons.
                  {"StringLike": {"aws:PrincipalArn": "arn:aws:iam:*:111122223333:role/x"}},
                  {"StringLike": {"aws:PrincipalArn": "arn:*:iam::111122223333:role/x"}},
                  {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}):
        assert verdict(open_) == {"key"}, open_
    assert verdict(principal={"AWS": "arn:aws:iam::111122223333:root"}) == set()
    # A policy made from values unknown until the update (a JSON string holding one is unknown whole): not judged.
    unknown = res("aws:kms/key:Key", "key", id="key-id", arn="key-arn", enableKeyRotation=True, policy=UNKNOWN)
    assert found([unknown], policy) == set()
    assert policy not in {v.policy for v in analyze([unknown]).not_run}
    # A KeyPolicy for another stack's key is judged on its own.
    foreign = Res("aws:kms/keyPolicy:KeyPolicy", "foreign-policy", {
        "keyId": "arn:aws:kms:us-east-1:111122223333:key/1111-external", "policy": json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*",
                                                    "Resource": "*"}]})})
    assert {name for name, _ in found([foreign], policy)} == {"foreign-policy"}


def test_topic_and_queue_policies_are_public_unless_a_condition_names_the_callers():
    """SNS.4 and SQS.3 read as KMS.5 does (iam.documents.public_statements), plus SNS's AWS:SourceOwner, which its
    default topic policy pins. A TopicPolicy or QueuePolicy replaces the resource's own policy; one for a resource
    outside the stack is judged on its own; unknown documents are not judged."""
    topic_policy, queue_policy = "sns-topic-policy-not-public", "sqs-queue-policy-not-public"
    topic_arn = "arn:aws:sns:us-east-1:123456789012:orders"
    queue_url = "https://sqs.us-east-1.amazonaws.com/123456789012/orders"

    def statement(condition=None, principal="*") -> dict:
        return {"Sid": "Open", "Effect": "Allow", "Principal": principal, "Action": "*", "Resource": "*",
                **({} if condition is None else {"Condition": condition})}

    def topic(policy) -> Res:
        return res("aws:sns/topic:Topic", "topic", id=topic_arn, arn=topic_arn, kmsMasterKeyId="alias/aws/sns",
                   **({} if policy is None else {"policy": policy}))

    def queue(policy) -> Res:
        return res("aws:sqs/queue:Queue", "queue", id=queue_url, url=queue_url,
                   **({} if policy is None else {"policy": policy}))

    for pinned in ({"StringEquals": {"AWS:SourceOwner": "123456789012"}},
                   {"StringEquals": {"aws:SourceAccount": "123456789012"}},
                   {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-*"}, "StringEquals": {
                       "aws:SourceAccount": "123456789012"}},
                   {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:orders"}},
                   {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
                   # A fixed aws:SourceArn (or aws:userid) makes a policy non-public (S3's "The meaning of public",
                   # which SNS.4 and SQS.3 follow), a bucket's too, though its ARN carries no account.
                   {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-uploads"}},
                   {"StringEquals": {"aws:SourceArn": ["arn:aws:s3:::orders-uploads", "arn:aws:s3:::orders-archive"]}},
                   {"StringEquals": {"aws:userid": "AIDAJQABLZS4A3QDU576Q"}},
                   # Case counts under StringEquals: `Anonymous` is no anonymous caller's id.
                   {"StringEquals": {"aws:userid": "Anonymous"}}):
        assert found([topic(document(statement(pinned)))], topic_policy) == set(), pinned
        assert found([queue(document(statement(pinned)))], queue_policy) == set(), pinned
    for open_ in (None, {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}},
                  {"StringLike": {"AWS:SourceOwner": "*"}}, {"Bool": {"aws:SecureTransport": "true"}},
                  # A wildcard or a policy variable in an ARN without an account names no one; nor does a fixed one
                  # under an operator that holds when the key is missing, or one that says who is kept out.
                  {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-*"}},
                  {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::*"}},
                  {"StringLike": {"aws:SourceArn": ["arn:aws:s3:::orders-uploads", "arn:aws:s3:::orders-upload?"]}},
                  {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::${aws:PrincipalAccount}-uploads"}},
                  {"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:s3:::orders-uploads"}},
                  {"ArnNotEquals": {"aws:SourceArn": "arn:aws:s3:::orders-uploads"}},
                  {"StringLike": {"aws:userid": "AIDA*"}},
                  # SNS and SQS give an anonymous caller the aws:userid `anonymous` (IAM's principal key values).
                  {"StringEquals": {"aws:userid": "anonymous"}},
                  {"StringEqualsIgnoreCase": {"aws:userid": "Anonymous"}},
                  {"StringEquals": {"aws:userid": ["AIDAJQABLZS4A3QDU576Q", "anonymous"]}}):
        assert {name for name, _ in found([topic(document(statement(open_)))], topic_policy)} == {"topic"}, open_
        assert {name for name, _ in found([queue(document(statement(open_)))], queue_policy)} == {"queue"}, open_
    for principal in ({"AWS": "arn:aws:iam::111122223333:root"}, {"Service": "events.amazonaws.com"}):
        assert found([topic(document(statement(principal=principal)))], topic_policy) == set()
    # No policy: SNS's default (AWS:SourceOwner) and SQS's (the owner's account) are private.
    assert found([topic(None)], topic_policy) == found([queue(None)], queue_policy) == set()
    # A TopicPolicy or QueuePolicy replaces the resource's own policy, private or public.
    opened = Res("aws:sns/topicPolicy:TopicPolicy", "opened", {"arn": topic_arn, "policy": document(statement())},
                 {"arn": ["topic"]})
    assert {name for name, _ in found([topic(None), opened], topic_policy)} == {"topic"}
    closed = Res("aws:sqs/queuePolicy:QueuePolicy", "closed", {"queueUrl": queue_url, "policy": document(statement(
        {"StringEquals": {"aws:SourceAccount": "123456789012"}}))}, {"queueUrl": ["queue"]})
    assert found([queue(document(statement())), closed], queue_policy) == set()
    # Unknown until the update: not judged, and not left as a policy that could not run. A TopicPolicy whose topic is
    # unknown may replace this topic's policy, and may be this topic's: neither is judged yet.
    assert found([topic(UNKNOWN)], topic_policy) == set()
    assert topic_policy not in {v.policy for v in analyze([topic(UNKNOWN)]).not_run}
    later = Res("aws:sns/topicPolicy:TopicPolicy", "later", {"arn": UNKNOWN, "policy": document(statement())})
    assert found([topic(document(statement())), later], topic_policy) == set()
    # A QueuePolicy for another stack's queue is judged on its own.
    foreign = Res("aws:sqs/queuePolicy:QueuePolicy", "foreign", {
        "queueUrl": "https://sqs.us-east-1.amazonaws.com/111122223333/theirs", "policy": document(statement())})
    assert {name for name, _ in found([queue(None), foreign], queue_policy)} == {"foreign"}


def test_path_mtu_icmp_and_sharing_read_every_rule_shape_and_launch_template_interfaces():
    """The exemption reads an inline block's ICMP type and code as the standalone rules'; a launch template that
    puts the balancer's group on its instances' interfaces shares it."""
    policy = "ec2-securitygroup-no-public-ingress"
    resources = [r for r in _public_alb(HTTPS_FROM_ANYWHERE) if r.name != "in-0"]
    named(resources, "alb-sg").props["ingress"] = [
        {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]},
        {"protocol": "icmp", "fromPort": 3, "toPort": 4, "cidrBlocks": ["0.0.0.0/0"]},
        {"protocol": "icmp", "fromPort": 8, "toPort": -1, "cidrBlocks": ["0.0.0.0/0"]}]
    assert {m.split(" (")[1].split(")")[0] for _, m in found(resources, policy)} == {"icmp 8--1"}
    # By value (no dependency to go by): the second interface holds the group.
    template = Res("aws:ec2/launchTemplate:LaunchTemplate", "workers", {"networkInterfaces": [
        {"deviceIndex": 0, "securityGroups": ["sg-0123456789abcdef0"]},
        {"deviceIndex": 1, "securityGroups": ["alb-sg-id"]}]})
    attachment = Res("aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment",
                     "extra", {"securityGroupId": "alb-sg-id", "networkInterfaceId": "eni-0123456789abcdef0"})
    for sharer, label in ((template, "launch template workers"), (attachment, "network interface attachment extra")):
        sharers = {m.split("shares the group with ")[1].split(",")[0]
                   for _, m in found(_public_alb(HTTPS_FROM_ANYWHERE, also_on=sharer), policy)}
        assert sharers == {label}


def test_a_key_whose_spec_is_unknown_is_not_judged_for_rotation():
    policy = "kms-key-rotation"
    for props in ({"customerMasterKeySpec": UNKNOWN}, {"keyUsage": UNKNOWN}):
        key = res("aws:kms/key:Key", "key", enableKeyRotation=False, **props)
        report = analyze([key])
        assert found([key], policy) == set() and policy not in {v.policy for v in report.not_run}
    assert found([res("aws:kms/key:Key", "key", enableKeyRotation=False)], policy)


def test_protocols_written_as_numbers_read_as_their_names():
    """AWS takes 6 for tcp and -1 for every protocol, in either string or number form: a rule reads the same."""
    egress_policy, by_group = "ec2-securitygroup-egress-restricted", "ec2-securitygroup-ingress-from-groups"
    assert found(_egress_rule(ipProtocol="6"), egress_policy) == found(_egress_rule(), egress_policy)
    everything = found(_egress_rule(ipProtocol=-1.0, fromPort=0, toPort=0), egress_policy)
    assert {m.split(" (")[1].split(")")[0] for _, m in everything} == {"all traffic"}
    # A task set's group is a workload's: callers by CIDR are a finding there too.
    group = res("aws:ec2/securityGroup:SecurityGroup", "orders", name="orders", id="orders-id")
    by_cidr = Res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "from-vpc",
                  {"securityGroupId": "orders-id", "ipProtocol": "tcp", "fromPort": 8080, "toPort": 8080,
                   "cidrIpv4": "10.0.0.0/16"}, {"securityGroupId": ["orders"]})
    task_set = Res("aws:ecs/taskSet:TaskSet", "canary", {"networkConfiguration": {"securityGroups": ["orders-id"],
                                                                                   "subnets": ["subnet-1"]}},
                   {"networkConfiguration": ["orders"]})
    assert {name for name, _ in found([group, by_cidr, task_set], by_group)} == {"from-vpc"}
    assert found([group, by_cidr], by_group) == set()


def test_list_settings_with_an_unknown_item_still_judge_their_known_items():
    """A route's or listener's settings may hold a value unknown until the update; read item by item, the policy
    judges the known ones and neither fails on nor reports the unknown one."""
    stage = res("aws:apigatewayv2/stage:Stage", "ws", apiId="api", name="live", routeSettings=[
        UNKNOWN, {"routeKey": "$connect", "dataTraceEnabled": True}])
    classic = res("aws:elb/loadBalancer:LoadBalancer", "clb", subnets=["subnet-1"], accessLogs={"bucket": "logs"},
                  listeners=[UNKNOWN, {"lbPort": 80, "lbProtocol": "http", "instancePort": 80,
                                       "instanceProtocol": "http"}])
    for resource, policy, name in ((stage, "apigatewayv2-stage-data-trace-off", "ws"),
                                   (classic, "elb-classic-listener-encrypted", "clb")):
        report = analyze([resource])
        assert {n for n, _ in found([resource], policy)} == {name}, policy
        assert policy not in {v.policy for v in report.not_run}


@pytest.mark.parametrize("odd", [{"name": "orders"}, ["orders"], 7, True])
def test_a_target_whose_name_is_of_another_shape_is_still_found_by_what_refers_to_it(odd):
    """A name that is not text (a map would not hash) names nothing; the queue's known URL still links its policy."""
    def queue_policy_findings(name) -> set:
        queue = Res("aws:sqs/queue:Queue", "queue", {"id": QUEUE_URL, "name": name, "tags": {}})
        policy = Res("aws:sqs/queuePolicy:QueuePolicy", "queue-policy",
                     {"queueUrl": QUEUE_URL, "policy": document(OPEN_TO_ALL)}, {"queueUrl": ["queue"]})
        return found([queue, policy], "sqs-queue-policy-not-public")

    expected = queue_policy_findings("orders")
    assert len(expected) == 1 and "(policy in QueuePolicy queue-policy) statement Anyone" in next(iter(expected))[1]
    assert queue_policy_findings(odd) == expected
