"""Multi-region: `prod` (us-east-1) and `prod-eu` (eu-west-1) from one program, and the global layer above."""
from __future__ import annotations

import json

import pytest
import yaml

from components.config import ConfigError
from components.edge import parse_edge_config
from tests.conftest import ROOT, global_preview
from tools.mockrun import SECRET_PLACEHOLDER
from tools.preview import run_preview

GLOBAL = ROOT / "global"
HEALTH, RECORD = "aws:route53/healthCheck:HealthCheck", "aws:route53/record:Record"
CERT, VALIDATION = "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


@pytest.fixture(scope="module")
def edge(edge_preview):
    return edge_preview


def test_prod_eu_previews_clean_in_its_own_region(prod_eu_preview):
    assert prod_eu_preview.exit_code == 0 and prod_eu_preview.mandatory == []
    zones = {r.inputs["availabilityZone"] for r in prod_eu_preview.find("aws:ec2/subnet:Subnet")}
    assert zones == {"eu-west-1a", "eu-west-1b", "eu-west-1c"}
    assert prod_eu_preview.outputs["apiDomainTarget"].endswith(".execute-api.eu-west-1.amazonaws.com")
    # API Gateway's regional zone in eu-west-1, which the global stack file's alias for the region names: a
    # preview exporting us-east-1's would be copied into an alias Route 53 refuses.
    eu = next(r for r in _edge_raw()["regions"] if r["region"] == "eu-west-1")
    assert prod_eu_preview.outputs["apiDomainZoneId"] == eu["apiZoneId"] == "ZLY8HYME6SFDD"


def test_the_regional_pair_shares_no_account_wide_name(prod_preview, prod_eu_preview):
    """Dashboards, buckets and IAM names are global to the account: two regions of one environment
    would collide on any fixed one."""
    global_names = {"aws:cloudwatch/dashboard:Dashboard": "dashboardName", "aws:s3/bucket:Bucket": "bucket",
                    "aws:iam/role:Role": "name", "aws:iam/policy:Policy": "name"}

    def names(result):
        # An auto-name's random part differs between stacks, as in AWS (the preview draws it from the URN).
        return {(t, r.inputs[key]) for t, key in global_names.items() for r in result.find(t) if key in r.inputs}

    us, eu = names(prod_preview), names(prod_eu_preview)
    assert ("aws:cloudwatch/dashboard:Dashboard", "prod-us-east-1-mesh") in us
    assert ("aws:cloudwatch/dashboard:Dashboard", "prod-eu-west-1-mesh") in eu
    assert us & eu == set()


def test_prod_eu_trusts_prods_pool_and_both_give_their_keys_values_from_secrets(prod_preview, prod_eu_preview):
    """Latency routing and failover send a client to either region: prod-eu's authorizer trusts prod's user pool
    (which prod exports) and makes none of its own, and both stacks give each consumer's key the value their stack
    files keep secret, rather than one API Gateway generates in each region. (That the two stacks' secrets hold the
    same values is the operator's to keep: the preview sees only placeholders.)"""
    prod_eu_file = yaml.load((ROOT / "Pulumi.prod-eu.yaml").read_text(), Loader=yaml.SafeLoader)["config"]
    shared_pool = prod_eu_file["service-mesh-platform:api"]["auth"]["userPoolArn"]
    assert shared_pool.startswith("arn:aws:cognito-idp:us-east-1:")  # prod's region
    (authorizer,) = prod_eu_preview.find("aws:apigateway/authorizer:Authorizer")
    assert authorizer.inputs["providerArns"] == [shared_pool]
    assert prod_eu_preview.find("aws:cognito/userPool:UserPool") == []
    assert prod_eu_preview.find("aws:cognito/userPoolClient:UserPoolClient") == []
    assert "userPoolArn" not in prod_eu_preview.outputs
    (pool,) = prod_preview.find("aws:cognito/userPool:UserPool")
    assert prod_preview.outputs["userPoolArn"] == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool.name}-id"
    for result in (prod_preview, prod_eu_preview):
        keys = result.find("aws:apigateway/apiKey:ApiKey")
        assert len(keys) == 2 and all(key.inputs["value"] == {"secret": SECRET_PLACEHOLDER} for key in keys)


def test_only_one_region_runs_the_multi_region_trail(prod_preview, prod_eu_preview):
    assert len(prod_preview.find("aws:cloudtrail/trail:Trail")) == 1
    assert prod_eu_preview.find("aws:cloudtrail/trail:Trail") == []
    nlb = prod_eu_preview.get("aws:lb/loadBalancer:LoadBalancer", "prod-ingress-alb")
    assert nlb.inputs["accessLogs"]["enabled"] is True


def test_global_layer_previews_clean(edge):
    assert edge.exit_code == 0 and edge.mandatory == [] and edge.advisory == []


def test_a_certificate_per_region_validated_by_one_record(edge):
    certs = {r.inputs["region"]: r for r in edge.find(CERT)}
    assert set(certs) == {"us-east-1", "eu-west-1"}
    assert all(c.inputs["domainName"] == "api.shop.example.com" and c.inputs["validationMethod"] == "DNS"
               for c in certs.values())
    validation_record = edge.get(RECORD, "edge-cert-validation")
    assert validation_record.inputs["type"] == "CNAME" and validation_record.inputs["zoneId"] == "Z0412345ABCDEFGHIJKLM"
    # ACM's record for a domain is the same for every certificate of the account: one validated before (by hand,
    # or by a regional stack's DnsZone, which overwrites too) left it in the zone, and CREATE would be refused.
    assert validation_record.inputs["allowOverwrite"] is True
    for region in certs:
        validation = edge.get(VALIDATION, f"edge-cert-{region}")
        assert validation.inputs["region"] == region
        assert validation.inputs["certificateArn"] == f"arn:aws:acm:{region}:123456789012:certificate/edge-cert-{region}"
        assert validation.inputs["validationRecordFqdns"] == [validation_record.inputs["name"].rstrip(".")]
    assert edge.outputs["certificateArns"]["eu-west-1"].startswith("arn:aws:acm:eu-west-1:")


def test_latency_records_route_to_each_region_behind_its_health_check(edge, prod_preview, prod_eu_preview):
    for region, regional in (("us-east-1", prod_preview), ("eu-west-1", prod_eu_preview)):
        check = edge.get(HEALTH, f"edge-health-{region}")
        assert check.inputs["type"] == "CLOUDWATCH_METRIC"
        assert check.inputs["cloudwatchAlarmRegion"] == region
        # Route 53 reads the metric, not the alarm's state: a region without requests (one failed out) has no
        # data, which must not keep it out.
        assert check.inputs["insufficientDataHealthStatus"] == "LastKnownStatus"
        # The alarm the check follows is one the regional stack really creates.
        alarms = {a.inputs["name"]: a.inputs for a in regional.find(ALARM)}
        assert check.inputs["cloudwatchAlarmName"] == "prod-ecommerce-api-5xx-rate" in alarms
        # Route 53 follows only an alarm on one standard metric with a plain statistic (its
        # CloudWatchAlarmConfiguration requires MetricName, Namespace and Statistic): no metric math.
        followed = alarms["prod-ecommerce-api-5xx-rate"]
        assert "metricQueries" not in followed and followed["metricName"] and followed["namespace"]
        assert followed["statistic"] in ("Average", "Minimum", "Maximum", "Sum", "SampleCount")
        record = edge.get(RECORD, f"edge-api-{region}")
        assert record.inputs["name"] == "api.shop.example.com" and record.inputs["type"] == "A"
        assert record.inputs["setIdentifier"] == region
        assert record.inputs["latencyRoutingPolicies"] == [{"region": region}]
        assert record.inputs["healthCheckId"] == f"edge-health-{region}-id"
        alias = record.inputs["aliases"][0]
        assert alias["name"].endswith(f".execute-api.{region}.amazonaws.com") and alias["evaluateTargetHealth"]
        # The layer's alarm on the check: HealthCheckStatus is 1 while healthy, 0 once Route 53 sees the region
        # fail, so the worst of each minute below 1, two minutes running.
        alarm = edge.get(ALARM, f"edge-health-{region}").inputs
        assert (alarm["namespace"], alarm["metricName"], alarm["dimensions"]) == (
            "AWS/Route53", "HealthCheckStatus", {"HealthCheckId": f"edge-health-{region}-id"})
        assert (alarm["statistic"], alarm["period"], alarm["evaluationPeriods"]) == ("Minimum", 60, 2)
        assert (alarm["comparisonOperator"], alarm["threshold"]) == ("LessThanThreshold", 1)


def test_a_health_check_is_resent_its_alarm_when_the_regional_alarm_changes(edge, prod_preview, prod_eu_preview):
    """Route 53 copies the alarm's settings (CloudWatchAlarmConfiguration) when the check is created and never
    rereads them: the provider sends the alarm again only when `triggers` changes, so the trigger is the regional
    stack's own description of its alarm, the apiHealthAlarm output the stack file copies."""
    for region, regional in (("us-east-1", prod_preview), ("eu-west-1", prod_eu_preview)):
        check = edge.get(HEALTH, f"edge-health-{region}")
        assert check.inputs["triggers"] == {"alarm": regional.outputs["apiHealthAlarm"]}
        followed = regional.get(ALARM, "prod-api-5xx-rate").inputs
        assert regional.outputs["apiHealthAlarm"] == (
            f"AWS/ApiGateway 5XXError Average 60s x5 GreaterThanThreshold {followed['threshold']:g} "
            f"ApiName=prod-ecommerce-api,Stage=prod")
    # A new threshold in the regional stack is a new output, hence a new trigger once copied.
    changed = global_preview("regions[1].apiHealthAlarm=AWS/ApiGateway 5XXError Average 60s x5 GreaterThanThreshold "
                             "0.02 ApiName=prod-ecommerce-api,Stage=prod")
    trigger = changed.get(HEALTH, "edge-health-eu-west-1").inputs["triggers"]["alarm"]
    assert " GreaterThanThreshold 0.02 " in trigger


def test_a_region_whose_stack_names_its_api_is_checked_on_that_api_alarm():
    result = global_preview("regions[1].apiName=shop-eu-api", "regions[1].apiHealthAlarm=AWS/ApiGateway 5XXError "
                            "Average 60s x5 GreaterThanThreshold 0.01 ApiName=shop-eu-api,Stage=prod")
    assert result.get(HEALTH, "edge-health-eu-west-1").inputs["cloudwatchAlarmName"] == "shop-eu-api-5xx-rate"
    assert result.get(HEALTH, "edge-health-us-east-1").inputs["cloudwatchAlarmName"] == "prod-ecommerce-api-5xx-rate"


def test_failover_routing_names_a_primary_and_a_secondary():
    result = global_preview("routing=failover", "regions[0].failover=PRIMARY", "regions[1].failover=SECONDARY")
    assert result.get(RECORD, "edge-api-us-east-1").inputs["failoverRoutingPolicies"] == [{"type": "PRIMARY"}]
    assert result.get(RECORD, "edge-api-eu-west-1").inputs["failoverRoutingPolicies"] == [{"type": "SECONDARY"}]
    assert "latencyRoutingPolicies" not in result.get(RECORD, "edge-api-eu-west-1").inputs


def test_a_region_failed_out_in_the_stack_file_loses_its_record_and_keeps_its_check():
    """The stack file, not the CLI, fails a region out, by removing its record: an inverted check turns healthy
    again on a breaching metric (mid-incident), and one inverted by hand is undone by the next refreshing update,
    since the provider sends `Inverted` whenever it differs from the program's (false, always)."""
    assert {r.name: r.inputs["invertHealthcheck"] for r in global_preview().find(HEALTH)} == {
        "edge-health-us-east-1": False, "edge-health-eu-west-1": False}
    result = global_preview("regions[1].failedOut=true")
    assert {r.name: r.inputs["invertHealthcheck"] for r in result.find(HEALTH)} == {
        "edge-health-us-east-1": False, "edge-health-eu-west-1": False}
    assert {r.name for r in result.find(RECORD)} == {"edge-cert-validation", "edge-api-us-east-1"}
    assert {a.inputs["name"] for a in result.find(ALARM)} == {"prod-api-region-health", "prod-eu-api-region-health"}


def test_a_region_not_yet_deployed_gets_a_certificate_but_no_record():
    result = global_preview("regions[1].apiTarget=null", "regions[1].apiZoneId=null", "regions[1].apiHealthAlarm=null")
    assert {r.inputs["region"] for r in result.find(CERT)} == {"us-east-1", "eu-west-1"}
    assert [r.name for r in result.find(HEALTH)] == ["edge-health-us-east-1"]
    assert {r.name for r in result.find(RECORD)} == {"edge-cert-validation", "edge-api-us-east-1"}


def _edge_raw() -> dict:
    doc = yaml.safe_load((GLOBAL / "Pulumi.prod.yaml").read_text())["config"]
    prefix = "service-mesh-platform-global:"
    return {k[len(prefix):]: v for k, v in doc.items() if k.startswith(prefix)}


def _undeploy(region: dict) -> None:
    for key in ("apiTarget", "apiZoneId", "apiHealthAlarm"):
        region.pop(key)


def _failover_both_primary(raw: dict) -> None:
    raw["routing"] = "failover"
    for region in raw["regions"]:
        region["failover"] = "PRIMARY"


@pytest.mark.parametrize("edit,message", [
    *((lambda raw, target=target: raw["regions"][1].update(apiTarget=target),
       f"regions[1].apiTarget: {target} is not an API Gateway regional domain in eu-west-1, "
       "d-<id>.execute-api.eu-west-1.amazonaws.com (the regional stack's apiDomainTarget output)")
      # Another region's; and two that only held `.execute-api.eu-west-1.`, which Route 53 refuses to alias.
      for target in ("d-x.execute-api.us-east-1.amazonaws.com", "d-x.execute-api.eu-west-1.example.com",
                     "d-x.execute-api.eu-west-1.amazonaws.com.cn")),
    (lambda raw: raw["regions"][1].update(apiZoneId=raw["hostedZoneId"]),
     "regions[1].apiZoneId: Z0412345ABCDEFGHIJKLM is the API domain's own zone (hostedZoneId); apiZoneId is API "
     "Gateway's zone for eu-west-1 (the regional stack's apiDomainZoneId output)"),
    (lambda raw: raw["regions"][1].pop("apiZoneId"),
     "regions[1].apiZoneId: apiTarget and apiZoneId are set together (the regional stack's outputs)"),
    # Without it the health check would keep the alarm settings Route 53 copied when it was created.
    (lambda raw: raw["regions"][1].pop("apiHealthAlarm"),
     "regions[1].apiHealthAlarm: apiTarget and apiHealthAlarm are set together (the regional stack's outputs)"),
    (lambda raw: raw["regions"][1].update(apiHealthAlarm="prod-ecommerce-api-5xx-rate"),
     "regions[1].apiHealthAlarm: 'prod-ecommerce-api-5xx-rate' is not the regional stack's apiHealthAlarm output"),
    (lambda raw: raw.update(routing="failover"),
     "regions: failover routing needs exactly two regions, one PRIMARY and one SECONDARY"),
    (lambda raw: raw["regions"][0].update(failover="PRIMARY"),
     "regions[0].failover: only applies when routing is failover (it is latency)"),
    (lambda raw: raw["regions"][1].update(region="us-east-1"), "regions[1].region: us-east-1 is listed twice"),
    # Failing every region out would leave the domain no record to answer with.
    (lambda raw: [region.update(failedOut=True) for region in raw["regions"]],
     "regions: every region with a health check is failedOut, which would leave the domain no record to answer "
     "with: leave at least one in"),
    # A layer of one region, failed out, too.
    (lambda raw: raw.update(regions=[{**raw["regions"][0], "failedOut": True}]),
     "regions: every region with a health check is failedOut, which would leave the domain no record to answer "
     "with: leave at least one in"),
    (lambda raw: raw["regions"][1].update(failedOut=True, apiTarget=None, apiZoneId=None, apiHealthAlarm=None),
     "regions[1].failedOut: only applies to a region with a health check (apiTarget set)"),
    (lambda raw: raw.update(routing="geo"), "routing: 'geo' is not one of latency, failover"),
    # One pattern for a hosted zone id, the regional stacks' (config.HOSTED_ZONE_ID_RE).
    (lambda raw: raw.update(hostedZoneId="Z12"), "hostedZoneId: 'Z12' is not a Route 53 hosted zone id"),
    (lambda raw: raw["regions"][1].update(apiZoneId="Z12"),
     "regions[1].apiZoneId: 'Z12' is not a Route 53 hosted zone id"),
    # The layer requests the domain's certificate in every region; ACM takes a name of at most 64 characters.
    (lambda raw: raw.update(domain="the-storefront-api-for-every-region-of-the-platform.shop.example.com"),
     "domain: the-storefront-api-for-every-region-of-the-platform.shop.example.com is 68 characters; the certificate "
     "the stack requests for it names it, and ACM takes at most 64"),
    # ACM keeps a certificate's names lower-cased: a mixed-case name would read back as a change.
    (lambda raw: raw.update(domain="api.Shop.example.com"),
     "domain: 'api.Shop.example.com' is not a lower-case DNS host name"),
    # Tags go on the certificates, health checks and alarms: AWS's rules, as in the regional stacks.
    (lambda raw: raw["tags"].update({"aws:owner": "x"}),
     "tags.aws:owner: AWS reserves the aws: prefix of tag keys and values for its own tags"),
    (lambda raw: raw["tags"].update({f"Team{i}": "x" for i in range(50)}),
     "tags: 54 tags and the program's own AlarmKind and Severity (on every alarm) make 56 on one resource; AWS "
     "allows 50"),
    # Route 53 takes 10 tags on a health check, which also carries its Name.
    (lambda raw: raw["tags"].update({f"Team{i}": "x" for i in range(6)}),
     "tags: 10 tags and the health checks' Name are 11; Route 53 allows 10 on a health check"),
    (lambda raw: raw["regions"][1].update(region="eu-west-１"), "regions[1].region: 'eu-west-１' is not an AWS region"),
    # The program's ARNs and service principals are the aws partition's (config.partition_problem).
    (lambda raw: raw["regions"][1].update(region="us-gov-west-1"),
     "regions[1].region: us-gov-west-1 is in AWS's aws-us-gov partition; the program writes the aws partition's ARNs, "
     "service principals and endpoint names (its commercial regions, like us-east-1), which aws-us-gov's APIs "
     "refuse"),
    # Each region's health-check alarm is named after its stack.
    (lambda raw: raw["regions"][1].update(stack="prod"), "regions[1].stack: prod is listed twice"),
    # A misspelt key comes first: read as no alarmTopicArn, the error would ask for one.
    (lambda raw: raw.update(alarmTopicArm=raw.pop("alarmTopicArn")),
     "alarmTopicArm: is not a known setting (did you mean alarmTopicArn?)"),
    # The API's own default endpoint (<api-id>.execute-api...), not its custom domain's regional name.
    (lambda raw: raw["regions"][1].update(apiTarget="abc123def4.execute-api.eu-west-1.amazonaws.com"),
     "regions[1].apiTarget: abc123def4.execute-api.eu-west-1.amazonaws.com is not an API Gateway regional domain "
     "in eu-west-1, d-<id>.execute-api.eu-west-1.amazonaws.com (the regional stack's apiDomainTarget output)"),
    # An alarm copied without its target: the error names the missing key.
    (lambda raw: [raw["regions"][1].pop(k) for k in ("apiTarget", "apiZoneId")],
     "regions[1].apiTarget: apiTarget and apiHealthAlarm are set together (the regional stack's outputs)"),
    (lambda raw: raw["regions"][1].update(apiHealthAlarm="AWS/ApiGateway 5XXError Average 1m x5 GreaterThanThreshold "
                                                         "0.01 ApiName=prod-ecommerce-api,Stage=prod"),
     "regions[1].apiHealthAlarm: 'AWS/ApiGateway 5XXError Average 1m x5 GreaterThanThreshold 0.01 "
     "ApiName=prod-ecommerce-api,Stage=prod' is not the regional stack's apiHealthAlarm output"),
    # The alarm copied from the regional stack names another API than the region's apiName or environment make.
    (lambda raw: raw["regions"][1].update(apiName="other-api"),
     "regions[1].apiHealthAlarm: names ApiName=prod-ecommerce-api, but this region's API is other-api (from "
     "environment and apiName): copy the regional stack's apiHealthAlarm output again, or correct them"),
    (lambda raw: raw["regions"][1].update(environment="euprod"),
     "regions[1].apiHealthAlarm: names ApiName=prod-ecommerce-api, but this region's API is euprod-ecommerce-api "
     "(from environment and apiName): copy the regional stack's apiHealthAlarm output again, or correct them"),
    (_failover_both_primary, "regions: failover routing needs exactly two regions, one PRIMARY and one SECONDARY"),
    # One region deployed and one not: the deployed region's check still has an alarm to route.
    (lambda raw: (raw.pop("alarmTopicArn"), _undeploy(raw["regions"][1])),
     "alarmTopicArn: is required once a region has a health check: an SNS topic in us-east-1 for its alarm "
     "(the us-east-1 stack's pagingTopicArn)"),
    (lambda raw: raw.update(alarmTopicArn="arn:aws:sns:us-east-1:1111:prod-alarms-page"),
     "alarmTopicArn: 'arn:aws:sns:us-east-1:1111:prod-alarms-page' is not an SNS topic ARN in us-east-1 "
     "(Route 53 health check metrics live only there)"),
])
def test_malformed_global_config_is_one_line(edit, message):
    raw = _edge_raw()
    edit(raw)
    with pytest.raises(ConfigError) as err:
        parse_edge_config(raw, "Pulumi.prod.yaml")
    assert str(err.value) == f"Pulumi.prod.yaml: {message}"


@pytest.mark.parametrize("region, default_tags, message", [
    # The global stack read no aws:region; a regional stack's checks now apply to it too.
    (None, None, "aws:region: is required"),
    ("nonsense", None, "aws:region: 'nonsense' is not an AWS region name (like us-east-1)"),
    ("us-gov-west-1", None, "aws:region: us-gov-west-1 is in AWS's aws-us-gov partition"),
    # The provider puts its default tags on every resource, where AWS refuses them as it would the stack's tags.
    ("us-east-1", '{"tags": {"aws:owner": "x"}}', "aws:defaultTags.tags.aws:owner: AWS reserves the aws: prefix"),
    ("us-east-1", '{"tags": {"a*b": "c"}}', "aws:defaultTags.tags.a*b: the key 'a*b' has a character AWS does not"),
    ("us-east-1", '{"tags": ["x"]}', "aws:defaultTags.tags: expected a mapping, got a list"),
    # With the stack's: a health check holds 10 tags; keys differing only in case meet on every resource.
    ("us-east-1", '{"tags": {"A": "1", "B": "2", "C": "3", "D": "4", "E": "5", "F": "6"}}',
     "tags: 4 tags, the provider's 6 default tags and the health checks' Name are 11; Route 53 allows 10"),
])
def test_the_providers_region_and_default_tags_are_checked(region, default_tags, message):
    with pytest.raises(ConfigError) as err:
        parse_edge_config(_edge_raw(), "Pulumi.prod.yaml", region, default_tags)
    assert str(err.value).startswith(f"Pulumi.prod.yaml: {message}")


def test_nine_tags_fit_a_health_check_and_ten_fit_a_layer_without_health_checks():
    raw = _edge_raw()
    raw["tags"].update({f"Team{i}": "x" for i in range(5)})
    assert len(parse_edge_config(raw, "Pulumi.prod.yaml").tags) == 9
    raw["tags"]["Team5"] = "x"
    for region in raw["regions"]:
        region.pop("apiTarget"), region.pop("apiZoneId"), region.pop("apiHealthAlarm")
    assert len(parse_edge_config(raw, "Pulumi.prod.yaml").tags) == 10


def test_dev_script_previews_the_global_layer():
    import subprocess

    done = subprocess.run([str(ROOT / "dev"), "preview", "global", "--json"], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["project"] == "service-mesh-platform-global" and report["summary"]["mandatory"] == 0


@pytest.mark.parametrize("overrides,message", [
    # The program's own check, and the stack file's reading (a key the CLI would refuse).
    (["domain=BAD"], "global/Pulumi.prod.yaml with --config domain: domain: 'BAD' is not a lower-case DNS host name"),
    (["aws:bogus=1"], "global/Pulumi.prod.yaml with --config: aws:bogus: not a setting of the aws provider"),
])
def test_a_global_layer_error_names_its_stack_file_from_the_repository_root(overrides, message, monkeypatch):
    """A review found the global layer's errors naming `Pulumi.prod.yaml`, which is also the regional prod stack's
    file: from the repository's root, where `./dev preview global` and README's commands run (the preview names a
    stack file from where it runs), it is global/Pulumi.prod.yaml."""
    monkeypatch.chdir(ROOT)
    result = run_preview("prod", ROOT / "global", config_overrides=overrides)
    assert result.error is not None and result.error.startswith(message), result.error


def test_a_health_checks_reference_name_fits_the_providers_27_characters():
    result = global_preview("regions[1].stack=prod-eu-west-1-primary-ecommerce-platform")
    names = {c.inputs["referenceName"] for c in result.find(HEALTH)}
    assert names == {"prod-api", "prod-eu-west-1-primary-ecom"}


def test_health_check_ids_are_exported_by_region_and_each_check_is_named_for_its_region(edge):
    # docs/failover.md and runbooks/region-health-check-failed.md read this output by region (jq '."eu-west-1"').
    assert edge.outputs["healthCheckIds"] == {"us-east-1": "edge-health-us-east-1-id",
                                              "eu-west-1": "edge-health-eu-west-1-id"}
    for region in ("us-east-1", "eu-west-1"):
        assert edge.get(HEALTH, f"edge-health-{region}").inputs["tags"]["Name"] == f"api.shop.example.com {region}"


def test_a_gap_in_health_check_status_does_not_page(edge):
    """Route 53 publishes HealthCheckStatus every minute: a missing minute is Route 53's or CloudWatch's delay, not
    the region failing, and must not page through the region-health alarm."""
    for region in ("us-east-1", "eu-west-1"):
        alarm = edge.get(ALARM, f"edge-health-{region}").inputs
        assert alarm["treatMissingData"] == "missing"
        assert "insufficientDataActions" not in alarm  # nor does a gap long enough for INSUFFICIENT_DATA


def test_the_certificates_and_validation_record_match_what_the_regional_stacks_expect(edge):
    from components.dns import VALIDATION_TTL

    # A new key algorithm replaces every certificate, whose ARNs the regional stacks' files copy.
    assert {c.inputs["keyAlgorithm"] for c in edge.find(CERT)} == {"RSA_2048"}
    # A regional DnsZone validating the same domain writes this very record (allow_overwrite on both sides):
    # a different TTL would make each stack's update rewrite the other's.
    assert edge.get(RECORD, "edge-cert-validation").inputs["ttl"] == VALIDATION_TTL


def test_the_global_layer_installs_the_regional_programs_pins():
    """global/Pulumi.yaml runs in the root virtualenv (`virtualenv: ../.venv`); a CLI that makes it
    (`pulumi install --cwd global`) reads global/requirements.txt, which must name the root's pins and nothing else."""
    lines = [line for line in (ROOT / "global" / "requirements.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines == ["-r ../requirements.txt", "-c ../constraints.txt"]
    assert all((ROOT / "global" / line.split()[1]).resolve().is_file() for line in lines)
    runtime = yaml.safe_load((ROOT / "global" / "Pulumi.yaml").read_text())["runtime"]
    assert runtime["options"]["virtualenv"] == "../.venv"


def test_a_region_route_53_does_not_take_is_refused_by_its_key(monkeypatch):
    """me-west-1 is in botocore's partition data (a region AWS lists) but in neither Route 53 enum of the pinned
    model: its health check's alarm region and its latency record would both be refused at `up`."""
    import components.edge as edge_module

    raw = _edge_raw()
    raw["regions"][1].update(region="me-west-1", apiTarget="d-8p3n6v0w5e.execute-api.me-west-1.amazonaws.com")
    with pytest.raises(ConfigError) as err:
        parse_edge_config(raw, "Pulumi.prod.yaml")
    assert str(err.value) == (
        "Pulumi.prod.yaml: regions[1].region: me-west-1 is not a region Route 53 takes as its health check's alarm "
        "region (botocore's route53 CloudWatchRegion, as requirements.txt pins it): Route 53 does not serve it yet, "
        "or a newer pin would list it")
    # A region only latency records cannot name: refused for latency routing alone.
    enums = {"CloudWatchRegion": edge_module.route53_region_enum("CloudWatchRegion"),
             "ResourceRecordSetRegion": edge_module.route53_region_enum("ResourceRecordSetRegion") - {"eu-west-1"}}
    monkeypatch.setattr(edge_module, "route53_region_enum", enums.__getitem__)
    with pytest.raises(ConfigError, match=r"^Pulumi.prod.yaml: regions\[1\].region: eu-west-1 is not a region Route 53 "
                                          r"takes as a latency record's region \(botocore's route53 "
                                          r"ResourceRecordSetRegion"):
        parse_edge_config(_edge_raw(), "Pulumi.prod.yaml")
    failover = _edge_raw()
    _failover_both_primary(failover)
    failover["regions"][1]["failover"] = "SECONDARY"
    assert [r.region for r in parse_edge_config(failover, "Pulumi.prod.yaml").regions] == ["us-east-1", "eu-west-1"]


def test_an_api_zone_of_another_region_is_refused():
    # eu-west-1's zone for the us-east-1 target passed config; Route 53 refuses the alias (InvalidChangeBatch).
    from components.config import APIGATEWAY_REGIONAL_ZONE_IDS
    from tools.mockrun import APIGATEWAY_REGIONAL_ZONE_IDS as MOCKED

    raw = _edge_raw()
    raw["regions"][0]["apiZoneId"] = "ZLY8HYME6SFDD"
    with pytest.raises(ConfigError) as err:
        parse_edge_config(raw, "Pulumi.prod.yaml")
    assert str(err.value) == (
        "Pulumi.prod.yaml: regions[0].apiZoneId: ZLY8HYME6SFDD is not API Gateway's zone for us-east-1 "
        "(Z1UJRXOUMOOFQ8); Route 53 refuses an alias to us-east-1's domain in another zone: copy this region's "
        "apiDomainZoneId output")
    assert MOCKED == APIGATEWAY_REGIONAL_ZONE_IDS  # what the preview's domains give is what config expects
