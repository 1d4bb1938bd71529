"""The network layer: a created VPC (subnets, NAT sharing, flow logs) or an existing one brought by id."""
from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, Registered, moved_to, preview, program_with_stack
from tools.mockrun import fake_arn, struct_to_plain
from tools.preview import run_preview

SUBNET, ROUTE_TABLE, NAT = "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable", "aws:ec2/natGateway:NatGateway"
ROUTE = "aws:ec2/route:Route"


def test_subnets_split_the_vpc_into_public_and_private_blocks(dev_preview):
    subnets = {r.name: r.inputs for r in dev_preview.find(SUBNET)}
    assert {n: s["cidrBlock"] for n, s in subnets.items()} == {
        "dev-network-public-0": "10.20.0.0/20", "dev-network-public-1": "10.20.16.0/20",
        "dev-network-private-0": "10.20.32.0/20", "dev-network-private-1": "10.20.48.0/20"}
    assert {s["availabilityZone"] for s in subnets.values()} == {"us-east-1a", "us-east-1b"}
    # Public subnets say so explicitly; private ones rely on the provider default, which is false too.
    assert not any(s.get("mapPublicIpOnLaunch", False) for s in subnets.values())
    assert all(subnets[f"dev-network-public-{i}"]["mapPublicIpOnLaunch"] is False for i in (0, 1))


def test_subnets_take_zones_from_a_list_that_holds_availability_zones_whatever_their_state(monkeypatch):
    """Subnets take zones by position and a zone is ForceNew: an opted-in Local Zone sorting first, or an
    impaired zone dropping out of an `available` filter, would move every subnet after it."""
    from tools.mockrun import PreviewMocks

    asked, answer = [], PreviewMocks.call

    def call(self, args):
        if args.token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            asked.append(args.args)
        return answer(self, args)

    monkeypatch.setattr(PreviewMocks, "call", call)
    assert run_preview("dev", ROOT).error is None
    assert asked == [{"filters": [{"name": "zone-type", "values": ["availability-zone"]}]}]


def test_more_zones_than_the_account_has_in_the_region_is_one_line_naming_az_count(monkeypatch):
    """Most accounts have two zones in us-west-1: only the invoke knows, so the program checks its answer."""
    from tools import invokes

    answer = invokes.ANSWERS["aws:index/getAvailabilityZones:getAvailabilityZones"]

    def two_zones(args, ctx):
        found = answer(args, ctx)
        return {**found, "names": found["names"][:2], "zoneIds": found["zoneIds"][:2]}

    monkeypatch.setitem(invokes.ANSWERS, "aws:index/getAvailabilityZones:getAvailabilityZones", two_zones)
    result = run_preview("prod", ROOT)
    assert result.error == ("Pulumi.prod.yaml: network.create.azCount: 3: this account has 2 Availability Zones in "
                            "the region (us-east-1a, us-east-1b)")
    assert run_preview("dev", ROOT).error is None  # dev asks for two


def test_a_subnets_block_depends_on_its_tier_and_zone_alone(prod_preview):
    """A subnet's CIDR and zone are ForceNew, and a new subnet cannot take a block an old one holds: so
    prod on two AZs has exactly prod's first two AZs' subnets, and adding the third moves none of them."""
    def subnets(result):
        return {s.name: (s.inputs["cidrBlock"], s.inputs["availabilityZone"]) for s in result.find(SUBNET)}

    two = preview("prod", config_overrides=["network.create.azCount=2", "network.create.azSlots=3",
                                            "network.create.natGateways=2"])
    three = subnets(prod_preview)
    assert subnets(two) == {name: three[name] for name in three if not name.endswith("-2")}
    assert len(three) == 9 and three["prod-network-private-0"] == ("10.30.48.0/20", "us-east-1a")


def test_private_subnets_share_dev_nat_and_own_one_each_in_prod(dev_preview, prod_preview):
    def nat_routes(result):
        return {r.inputs["routeTableId"]: r.inputs["natGatewayId"] for r in result.find(ROUTE)
                if "natGatewayId" in r.inputs and r.inputs["destinationCidrBlock"] == "0.0.0.0/0"}

    # dev (no firewall): each private table's default route goes to the one NAT gateway.
    assert nat_routes(dev_preview) == {"dev-network-private-0-id": "dev-network-nat-0-id",
                                       "dev-network-private-1-id": "dev-network-nat-0-id"}
    # prod (firewall): the firewall subnets lead to their own AZ's NAT gateway; the private tables lead to
    # the firewall (tests/test_egress.py).
    assert nat_routes(prod_preview) == {f"prod-network-firewall-{i}-id": f"prod-network-nat-{i}-id" for i in range(3)}
    # Routes are standalone, so no table carries an inline list that would drop the egress layer's routes.
    for result in (dev_preview, prod_preview):
        assert all("routes" not in t.inputs for t in result.find(ROUTE_TABLE))
    # A public NAT gateway needs the VPC's internet gateway attached: it waits for it (nothing it reads names it).
    for result, env in ((dev_preview, "dev"), (prod_preview, "prod")):
        igw = result.get("aws:ec2/internetGateway:InternetGateway", f"{env}-network-igw")
        assert all(igw.urn in nat.dependencies for nat in result.find(NAT))
        # The public subnets (the NAT gateways', the ALB's) reach the internet through it, every address.
        public = result.get(ROUTE, f"{env}-network-public-default").inputs
        assert public == {"routeTableId": f"{env}-network-public-id", "destinationCidrBlock": "0.0.0.0/0",
                          "gatewayId": f"{env}-network-igw-id"}


def test_flow_logs_record_all_traffic_into_a_retained_log_group(dev_preview, prod_preview):
    for result, env, days in ((dev_preview, "dev", 14), (prod_preview, "prod", 365)):
        flow = result.get("aws:ec2/flowLog:FlowLog", f"{env}-network-flow-logs")
        group = result.get("aws:cloudwatch/logGroup:LogGroup", f"{env}-network-flow-logs")
        assert flow.inputs["trafficType"] == "ALL" and flow.inputs["vpcId"] == f"{env}-network-vpc-id"
        assert group.inputs["retentionInDays"] == days
        policy = json.loads(result.get("aws:iam/rolePolicy:RolePolicy", f"{env}-network-flow-logs").inputs["policy"])
        arn = f"arn:aws:logs:us-east-1:123456789012:log-group:{group.inputs['name']}"
        # Every action the VPC flow logs role page lists; without CreateLogGroup and DescribeLogGroups,
        # delivery can report "Access error".
        assert [(s["Action"], s["Resource"]) for s in policy["Statement"]] == [
            (["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
             [arn, f"{arn}:*"]),
            (["logs:DescribeLogGroups"], ["*"])]
        assert flow.inputs["logDestination"] == arn
        # Only this account's flow logs may assume the role (confused deputy).
        role = result.get("aws:iam/role:Role", f"{env}-network-flow-logs")
        trust = json.loads(role.inputs["assumeRolePolicy"])
        (principal,) = trust["Statement"]
        assert principal["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
        assert principal["Condition"] == {
            "StringEquals": {"aws:SourceAccount": "123456789012"},
            "ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*"}}
        assert flow.inputs["iamRoleArn"] == fake_arn(role.type, role.name, "us-east-1", role.inputs)
        # Created once the role may write, not only once it exists.
        assert result.get("aws:iam/rolePolicy:RolePolicy", f"{env}-network-flow-logs").urn in flow.dependencies
    assert (dev_preview.get("aws:cloudwatch/logGroup:LogGroup", "dev-network-flow-logs").protect,
            prod_preview.get("aws:cloudwatch/logGroup:LogGroup", "prod-network-flow-logs").protect) == (False, True)


def test_the_vpcs_default_security_group_is_adopted_with_no_rules(dev_preview, prod_preview):
    """EC2's default group admits its members and sends anywhere, and holds whatever is made without a group. The
    empty lists (not left out) make the provider remove rules added to it later (Security Hub EC2.2)."""
    for result, env in ((dev_preview, "dev"), (prod_preview, "prod")):
        [group] = result.find("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
        assert (group.inputs["vpcId"], group.inputs["ingress"], group.inputs["egress"]) == (
            f"{env}-network-vpc-id", [], [])
        vpc = result.get("aws:ec2/vpc:Vpc", f"{env}-network-vpc")
        assert vpc.urn in group.dependencies and group.inputs["tags"]["Name"] == f"{env}-default"


def test_every_log_group_of_a_protected_stack_outlives_destroy(prod_preview, iot_preview):
    """The runbooks send operators to these groups after an incident: `pulumi destroy` (or a replacement) must not
    take them. Protected, or kept where a name may change (workloads', stages' execution logs). Either way the
    group also refuses CloudWatch Logs' own DeleteLogGroup, so that whoever covers their tracks must first turn that
    off."""
    for result in (prod_preview, iot_preview):
        groups = result.find("aws:cloudwatch/logGroup:LogGroup")
        assert len(groups) > 10
        assert [g.name for g in groups if not (g.protect or g.retain_on_delete)] == []
        assert [g.name for g in groups if g.inputs.get("deletionProtectionEnabled") is not True] == []
        # So does each key they are encrypted with (the log key, ECS's): a kept group whose key is gone cannot be read.
        keys = {struct_to_plain(k.state_struct)["arn"]: k for k in result.find("aws:kms/key:Key")}
        used = {keys[g.inputs["kmsKeyId"]].name: keys[g.inputs["kmsKeyId"]] for g in groups}
        assert f"{result.stack}-logs-key" in used
        assert [name for name, key in used.items() if not key.retain_on_delete] == []


EXISTING = """  service-mesh-platform:network:
    existing:
      vpcId: vpc-0abc1234
      vpcCidr: 10.50.0.0/16
      privateSubnetIds: [subnet-0aaa1111, subnet-0bbb2222]
      publicSubnetIds: [subnet-0ccc3333, subnet-0ddd4444]
      privateRouteTableIds: [rtb-0eee5555, rtb-0fff6666]
      dnsFirewallPriority: 300
"""


@pytest.fixture(scope="module")
def existing_vpc(tmp_path_factory):
    def bring_vpc(text: str) -> str:
        start = text.index("  service-mesh-platform:network:")
        end = text.index("  service-mesh-platform:mesh:")
        return text[:start] + EXISTING + text[end:]

    program = program_with_stack(tmp_path_factory.mktemp("existing"), "dev", bring_vpc)
    result = run_preview("dev", program, ROOT / "policies", ROOT / "policies" / "config" / "dev.json")
    assert result.error is None, result.error
    return result


def test_an_existing_vpc_is_used_not_created(existing_vpc):
    # The brought VPC's default group is its owner's too.
    for type_ in ("aws:ec2/vpc:Vpc", SUBNET, NAT, ROUTE_TABLE, ROUTE, "aws:ec2/flowLog:FlowLog",
                  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"):
        assert existing_vpc.find(type_) == [], type_
    for group in existing_vpc.find("aws:ec2/securityGroup:SecurityGroup"):
        assert group.inputs["vpcId"] == "vpc-0abc1234"
    alb = existing_vpc.find("aws:lb/loadBalancer:LoadBalancer")[0]
    assert alb.inputs["subnets"] == ["subnet-0aaa1111", "subnet-0bbb2222"]
    for service in existing_vpc.find("aws:ecs/service:Service"):
        assert service.inputs["networkConfiguration"]["subnets"] == ["subnet-0aaa1111", "subnet-0bbb2222"]
    assert existing_vpc.outputs["vpcId"] == "vpc-0abc1234"
    # The S3 gateway endpoint routes through the brought private tables.
    s3 = existing_vpc.get("aws:ec2/vpcEndpoint:VpcEndpoint", "dev-egress-s3")
    assert s3.inputs["routeTableIds"] == ["rtb-0eee5555", "rtb-0fff6666"]
    # Their zones are the owner's, not known here: every interface endpoint takes every brought private subnet.
    interface = [e for e in existing_vpc.find("aws:ec2/vpcEndpoint:VpcEndpoint")
                 if e.inputs["vpcEndpointType"] == "Interface"]
    assert interface and all(e.inputs["subnetIds"] == ["subnet-0aaa1111", "subnet-0bbb2222"] for e in interface)
    assert existing_vpc.exit_code == 0
    # The owner's own DNS Firewall rule groups may hold 101: priorities are unique per VPC.
    [association] = existing_vpc.find("aws:route53/resolverFirewallRuleGroupAssociation:"
                                      "ResolverFirewallRuleGroupAssociation")
    assert (association.inputs["vpcId"], association.inputs["priority"]) == ("vpc-0abc1234", 300)
    # The brought VPC's NAT gateways are its owner's to watch; the stack's own endpoints are still watched.
    alarms = [a.inputs for a in existing_vpc.find("aws:cloudwatch/metricAlarm:MetricAlarm")]
    assert not [a for a in alarms if a["tags"]["AlarmKind"].startswith("nat-gateway")]
    endpoints = [a for a in alarms if a["tags"]["AlarmKind"] == "vpc-endpoint-packets-dropped"]
    assert endpoints and all(a["dimensions"]["VPC Id"] == "vpc-0abc1234" for a in endpoints)


def test_three_zones_in_a_region_that_gives_most_accounts_two_stop_the_preview():
    """The invoke answered three zones everywhere, so the program's own check of azCount could never fail."""
    moved = moved_to("dev", "us-west-1")
    assert len(preview("dev", config_overrides=moved).find("aws:ec2/subnet:Subnet")) == 4  # dev's two AZs fit
    result = run_preview("dev", ROOT, config_overrides=[*moved, "network.create.azCount=3", "network.create.azSlots=3"])
    assert result.error == ("Pulumi.dev.yaml with --config network.create.azCount: network.create.azCount: 3: this "
                            "account has 2 Availability Zones in the region (us-west-1a, us-west-1c)")


def test_a_region_short_of_az_count_stops_the_program_before_any_resource():
    """Only the invoke knows the account's zones, so it is asked before anything is declared: checked inside the
    network, the program stopped with the VPC, its flow logs and the log key declared, which `pulumi up` would have
    created before the error (a half-built stack)."""
    registered = Registered()
    overrides = [*moved_to("dev", "us-west-1"), "network.create.azCount=3", "network.create.azSlots=3"]
    result = run_preview("dev", ROOT, config_overrides=overrides, progress=registered)  # type: ignore[arg-type]
    assert result.error == ("Pulumi.dev.yaml with --config network.create.azCount: network.create.azCount: 3: this "
                            "account has 2 Availability Zones in the region (us-west-1a, us-west-1c)")
    assert registered.types == ["pulumi:pulumi:Stack", "service-mesh-platform:index:Platform"]  # no AWS resource


@pytest.mark.parametrize("region, unsupported", [("us-west-1", "usw1-az2"), ("ap-northeast-1", "apne1-az3")])
@pytest.mark.parametrize("plane", ["serviceconnect", "appmesh"])
def test_fargate_services_leave_out_a_zone_fargate_runs_no_tasks_in(monkeypatch, region, unsupported, plane):
    """Fargate names only usw1-az1 and -az3 in us-west-1 and apne1-az1, -az2 and -az4 in ap-northeast-1 (an older
    account may have the others): services take the private subnets of the other zones, with a warning where one
    is left; the load balancers keep every subnet (a zone without targets costs nothing, and removing a subnet
    replaces an NLB)."""
    from tools import invokes

    zones = "aws:index/getAvailabilityZones:getAvailabilityZones"
    answer = invokes.ANSWERS[zones]

    def older_account(args, ctx):
        found = answer(args, ctx)
        return {**found, "zoneIds": [found["zoneIds"][0], unsupported, *found["zoneIds"][2:]]}

    monkeypatch.setitem(invokes.ANSWERS, zones, older_account)
    result = run_preview("dev", ROOT, config_overrides=[*moved_to("dev", region), f"mesh.dataPlane={plane}"])
    assert result.error is None, result.error
    private = [f"{s.name}-id" for s in result.find(SUBNET) if "-private-" in s.name]
    assert len(private) == 2
    services = result.find("aws:ecs/service:Service")
    assert services and all(s.inputs["networkConfiguration"]["subnets"] == private[:1] for s in services)
    balancers = result.find("aws:lb/loadBalancer:LoadBalancer")
    assert balancers and all(lb.inputs["subnets"] == private for lb in balancers)
    kept = unsupported.split("-")[0] + "-az1"  # the first zone's id
    assert (f"network.create.azCount: ECS tasks run in 1 Availability Zone ({kept}): Fargate runs no tasks "
            f"in {unsupported} (this account's zone there)") in [d.message for d in result.diagnostics]
