"""OpenSearch guardrails against tests/programs/policy_opensearch (raw OpenSearch and Elasticsearch domains, and
OpenSearch Serverless security policies)."""
from __future__ import annotations

import json

import pytest

from tests.test_policies_support import (DEFAULT_TAGS, ENTRIES, UNKNOWN, Finding, InsecureProgramSuite, Res, analyze,
                                         findings, policies_found, program_fixtures)

PROGRAM = "policy_opensearch"
M, A = "mandatory", "advisory"
AT_REST, NODES = "opensearch-domain-encrypted-at-rest", "opensearch-domain-node-to-node-encryption"
HTTPS, VPC = "opensearch-domain-https-only", "opensearch-domain-in-vpc"
AUDIT, FGAC = "opensearch-domain-audit-logging", "opensearch-domain-fine-grained-access"
ERRORS, DATA = "opensearch-domain-error-logging", "opensearch-domain-data-nodes"
MASTERS = "opensearch-domain-dedicated-master-nodes"
OPEN = "opensearch-domain-access-policy-not-public"
PUBLIC, OWNED_KEY = "opensearch-serverless-network-private", "opensearch-serverless-encryption-cmk"
UNLIMITED = ("with no condition limiting the callers to an account, organization or addresses short of the whole "
             "internet")
NOT_CURRENT = "not a policy of TLS 1.2 or later with forward-secret ciphers only; set Policy-Min-TLS-1-2-PFS-2023-10"

FAILING = [
    Finding(AT_REST, "bare", M, "encryptAtRest is left out (off): the domain's indices, logs and snapshots are not "
                                "encrypted"),
    Finding(AT_REST, "legacy", M, "encryptAtRest.enabled is false"),
    Finding(NODES, "bare", M, "nodeToNodeEncryption is left out (off): the domain's nodes send each other documents "
                              "and queries in plain text"),
    Finding(NODES, "legacy", M, "nodeToNodeEncryption.enabled is false"),
    Finding(HTTPS, "bare", M, "domainEndpointOptions is left out: the domain takes plain HTTP and the service chooses "
                              "its TLS policy"),
    Finding(HTTPS, "legacy", M, "domainEndpointOptions.enforceHttps is false: clients may send queries and "
                                "credentials over plain HTTP"),
    Finding(HTTPS, "legacy", M, "domainEndpointOptions.tlsSecurityPolicy is Policy-Min-TLS-1-0-2019-07, "
                                f"{NOT_CURRENT}"),
    Finding(HTTPS, "partners", M, f"tlsSecurityPolicy is Policy-Min-TLS-1-2-2019-07, {NOT_CURRENT}"),
    Finding(HTTPS, "unpinned", M, "tlsSecurityPolicy is unset (the service chooses; older domains got "
                                  f"Policy-Min-TLS-1-0-2019-07), {NOT_CURRENT}"),
    *(Finding(VPC, name, M, "vpcOptions.subnetIds is not set: the domain gets a public endpoint") for name in
      ("bare", "public-fgac", "migrating", "legacy-public")),
    Finding(OPEN, "bare", M, "domain bare statement 0 allows Principal * to send GET, HEAD, POST, PUT, PATCH and "
                             f"DELETE requests {UNLIMITED}, and the domain has a public endpoint while "
                             "advancedSecurityOptions is left out (off): anyone on the internet may send them to its "
                             "indices and APIs unsigned; add IpAddress aws:SourceIp <your addresses> or name the "
                             "principals, or let fine-grained access control authenticate every request"),
    Finding(OPEN, "migrating", M, "domain migrating (policy in DomainPolicy migrating-policy) statement AnyoneReads "
                                  f"allows Principal * to send GET and HEAD requests {UNLIMITED}, and the domain has "
                                  "a public endpoint while advancedSecurityOptions.anonymousAuthEnabled is true "
                                  "(fine-grained access control lets anonymous requests in)"),
    Finding(OPEN, "legacy-public", M, "domain legacy-public (policy in DomainPolicy legacy-public-policy) statement "
                                      f"0 allows Principal * to send GET requests {UNLIMITED}"),
    *(Finding(AUDIT, name, A, "logPublishingOptions has no enabled AUDIT_LOGS entry") for name in
      ("bare", "legacy", "unpinned")),
    *(Finding(FGAC, name, A, "advancedSecurityOptions is left out (off): whoever the access policy lets in reads "
                             "and writes every index") for name in ("bare", "legacy-public")),
    *(Finding(ERRORS, name, A, "logPublishingOptions has no enabled ES_APPLICATION_LOGS entry: the errors and "
                               "warnings the domain raises are kept nowhere to read when it fails") for name in
      ("bare", "legacy", "unpinned")),
    Finding(FGAC, "legacy", A, "advancedSecurityOptions.enabled is false"),
    Finding(DATA, "bare", A, "clusterConfig is left out: the service's default cluster, with zone awareness off"),
    Finding(MASTERS, "bare", A, "clusterConfig is left out: the service's default cluster, without dedicated master "
                                "nodes, so the data nodes also manage the cluster, and a busy or failed one can leave "
                                "it without a master"),
    Finding(MASTERS, "legacy", A, "clusterConfig.dedicatedMasterEnabled is false"),
    Finding(DATA, "legacy", A, "clusterConfig.instanceCount is 2: fewer than three data nodes, so one node's failure "
                               "can stop the cluster's operations; run 3 or more"),
    Finding(DATA, "legacy", A, "clusterConfig.zoneAwarenessEnabled is false: every data node is in one Availability "
                               "Zone, whose outage takes the domain down"),
    Finding(PUBLIC, "search-public-dashboards", M, "rule set 2 has AllowFromPublic true: it opens the OpenSearch "
                                                   "Dashboards endpoint of collection/logs*, collection/audit to "
                                                   "requests from the internet, where only IAM or SAML authentication "
                                                   "and the data access policies stand between a caller and the data"),
    Finding(OWNED_KEY, "search-owned-key", A, "AWSOwnedKey is true with no KmsARN: the collections it matches "
                                              "(collection/audit) are encrypted with an AWS owned key"),
]
PASSING = [
    *((policy, "catalogue") for policy in (AT_REST, NODES, HTTPS, VPC, AUDIT, ERRORS, FGAC, DATA, MASTERS)),
    # An open policy behind fine-grained access control (AWS's recommendation), or on a VPC domain.
    (OPEN, "catalogue"), (OPEN, "public-fgac"), (OPEN, "legacy"),
    # Within the block, the provider's default for enforceHttps is true; a FIPS policy is current.
    (HTTPS, "fips"), *((policy, "unpinned") for policy in (AT_REST, NODES, VPC, FGAC)),
    # Private endpoints and a customer managed key; a KmsARN wins over AWSOwnedKey; each type not the other's.
    (PUBLIC, "search-private"), (OWNED_KEY, "search-cmk"), (OWNED_KEY, "search-both-keys"),
    (PUBLIC, "search-owned-key"), (OWNED_KEY, "search-public-dashboards"),
]


result, first_preview = program_fixtures(PROGRAM)


class TestInsecureProgram(InsecureProgramSuite):
    FAILING, PASSING = FAILING, PASSING


# Three data nodes in two zones, three dedicated master nodes.
CLUSTER = {"instanceCount": 3, "zoneAwarenessEnabled": True, "zoneAwarenessConfig": {"availabilityZoneCount": 2},
           "dedicatedMasterEnabled": True, "dedicatedMasterCount": 3}


def cluster(**settings) -> dict:
    """CLUSTER with `settings` over it, those None left out."""
    return {key: value for key, value in {**CLUSTER, **settings}.items() if value is not None}


def domain(kind: str = "aws:opensearch/domain:Domain", **settings) -> Res:
    return Res(kind, "search", {
        "domainName": "search", "vpcOptions": {"subnetIds": ["subnet-a"]}, "encryptAtRest": {"enabled": True},
        "nodeToNodeEncryption": {"enabled": True}, "advancedSecurityOptions": {"enabled": True},
        "domainEndpointOptions": {"enforceHttps": True, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"},
        "clusterConfig": CLUSTER,
        "logPublishingOptions": [{"logType": kind, "cloudwatchLogGroupArn": "arn:aws:logs:::log-group:a"}
                                 for kind in ("AUDIT_LOGS", "ES_APPLICATION_LOGS")],
        "tags": DEFAULT_TAGS, **settings})


@pytest.mark.parametrize("settings, found", [
    ({}, set()),
    ({"encryptAtRest": UNKNOWN}, set()), ({"encryptAtRest": {"enabled": UNKNOWN}}, set()),
    ({"encryptAtRest": {"enabled": "false"}}, {AT_REST}), ({"encryptAtRest": {}}, {AT_REST}),
    ({"nodeToNodeEncryption": UNKNOWN}, set()), ({"nodeToNodeEncryption": {"enabled": False}}, {NODES}),
    ({"domainEndpointOptions": UNKNOWN}, set()), ({"domainEndpointOptions": {"tlsSecurityPolicy": UNKNOWN}}, set()),
    ({"domainEndpointOptions": {"enforceHttps": UNKNOWN,
                                "tlsSecurityPolicy": "Policy-Min-TLS-1-2-FIPS-PQ-2026-10"}}, set()),
    ({"vpcOptions": UNKNOWN}, set()), ({"vpcOptions": {"subnetIds": [UNKNOWN]}}, set()),
    ({"vpcOptions": {"subnetIds": []}}, {VPC}), ({"vpcOptions": {"securityGroupIds": ["sg-a"]}}, {VPC}),
    ({"logPublishingOptions": UNKNOWN}, set()), ({"logPublishingOptions": [UNKNOWN]}, set()),
    ({"logPublishingOptions": [{"logType": UNKNOWN}]}, set()),
    ({"logPublishingOptions": [{"logType": "AUDIT_LOGS", "enabled": UNKNOWN}]}, {ERRORS}),
    ({"logPublishingOptions": [{"logType": "ES_APPLICATION_LOGS"}, {"logType": "AUDIT_LOGS", "enabled": False}]},
     {AUDIT}),
    ({"logPublishingOptions": [{"logType": "ES_APPLICATION_LOGS", "enabled": False},
                               {"logType": "AUDIT_LOGS", "enabled": UNKNOWN}]}, {ERRORS}),
    ({"logPublishingOptions": []}, {AUDIT, ERRORS}),
    # The provider's default within clusterConfig is one data node, and zone awareness is off unless set.
    ({"clusterConfig": UNKNOWN}, set()), ({"clusterConfig": None}, {DATA, MASTERS}),
    ({"clusterConfig": cluster(instanceCount=UNKNOWN, zoneAwarenessEnabled=UNKNOWN)}, set()),
    ({"clusterConfig": cluster(instanceCount="3", zoneAwarenessEnabled="true")}, set()),
    ({"clusterConfig": cluster(zoneAwarenessEnabled=None)}, {DATA}),
    ({"clusterConfig": cluster(instanceCount=None)}, {DATA}), ({"clusterConfig": cluster(instanceCount=2)}, {DATA}),
    # No dedicated master nodes unless enabled; left out, the count is the service's (the API takes none below 3).
    ({"clusterConfig": cluster(dedicatedMasterEnabled=None, dedicatedMasterCount=None)}, {MASTERS}),
    ({"clusterConfig": cluster(dedicatedMasterEnabled=False)}, {MASTERS}),
    ({"clusterConfig": cluster(dedicatedMasterCount=2)}, {MASTERS}),
    ({"clusterConfig": cluster(dedicatedMasterCount=None)}, set()),
    ({"clusterConfig": cluster(dedicatedMasterCount=5)}, set()),
    ({"clusterConfig": cluster(dedicatedMasterEnabled=UNKNOWN, dedicatedMasterCount=2)}, set()),
    ({"clusterConfig": cluster(dedicatedMasterCount=UNKNOWN)}, set()),
    ({"advancedSecurityOptions": {"enabled": UNKNOWN}}, set())])
def test_a_domain_s_settings_as_opensearch_reads_them(settings, found):
    assert policies_found([domain(**settings)]) == found
    assert policies_found([domain("aws:elasticsearch/domain:Domain", **settings)]) == found


def test_a_cluster_left_out_is_said_alike_by_both_node_policies():
    def said(policy: str, settings: dict) -> list[str]:
        return [m.split(":")[0] for p, _, m in findings(analyze([domain(**settings)], {"all": "mandatory"}))
                if p == policy]

    for policy in (DATA, MASTERS):
        assert said(policy, {"clusterConfig": None}) == ["clusterConfig is left out"], policy
    unset = {"clusterConfig": cluster(dedicatedMasterEnabled=None, dedicatedMasterCount=None)}
    assert said(MASTERS, unset) == ["clusterConfig.dedicatedMasterEnabled is unset (false)"]


@pytest.mark.parametrize("policy, config, reported", [
    ("Policy-Min-TLS-1-2-2019-07", {}, True),
    ("Policy-Min-TLS-1-2-2019-07", {HTTPS: {"allowedTlsPolicies": ["Policy-Min-TLS-1-2-2019-07"]}}, False),
    ("Policy-Min-TLS-1-0-2019-07", {HTTPS: {"allowedTlsPolicies": ["Policy-Min-TLS-1-2-2019-07"]}}, True)])
def test_further_tls_policies_are_accepted_by_the_knob(policy, config, reported):
    search = domain(domainEndpointOptions={"enforceHttps": True, "tlsSecurityPolicy": policy})
    assert (policies_found([search], config) == {HTTPS}) == reported


def statement(**settings) -> dict:
    return {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:*", "Resource": "*", **settings}


def access_policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements or [statement()])})


def public(kind: str = "aws:opensearch/domain:Domain", **settings) -> Res:
    """A domain with a public endpoint, no fine-grained access control and an access policy open to everyone."""
    return domain(kind, **{"vpcOptions": None, "advancedSecurityOptions": None, "accessPolicies": access_policy(),
                           **settings})


def opened(resources: list) -> bool:
    return OPEN in policies_found(resources)


@pytest.mark.parametrize("settings, reported", [
    ({}, True),
    # In a VPC, the security groups decide who reaches the endpoint; fine-grained access control authenticates.
    ({"vpcOptions": {"subnetIds": ["subnet-a"]}}, False), ({"vpcOptions": UNKNOWN}, False),
    ({"vpcOptions": {"subnetIds": []}}, True),
    ({"advancedSecurityOptions": {"enabled": True}}, False), ({"advancedSecurityOptions": {"enabled": UNKNOWN}}, False),
    ({"advancedSecurityOptions": {"enabled": False}}, True), ({"advancedSecurityOptions": UNKNOWN}, False),
    ({"advancedSecurityOptions": {"enabled": True, "anonymousAuthEnabled": True}}, True),
    ({"advancedSecurityOptions": {"enabled": True, "anonymousAuthEnabled": UNKNOWN}}, False),
    ({"advancedSecurityOptions": {"enabled": UNKNOWN, "anonymousAuthEnabled": True}}, False),
    # Statements: an address range, an account, the HTTP actions, a Deny, NotPrincipal, unknowns.
    ({"accessPolicies": access_policy(statement(Condition={"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}))},
     False),
    ({"accessPolicies": access_policy(statement(Condition={"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}))}, True),
    ({"accessPolicies": access_policy(statement(Condition={"StringEquals": {
        "aws:PrincipalAccount": "123456789012"}}))}, False),
    ({"accessPolicies": access_policy(statement(Principal="*", Action=["es:ESHttpGet"]))}, True),
    ({"accessPolicies": access_policy(statement(Action="es:ESHttpP*"))}, True),
    ({"accessPolicies": access_policy(statement(Action="es:DescribeDomain"))}, False),
    ({"accessPolicies": access_policy(statement(Effect="Deny"))}, False),
    ({"accessPolicies": access_policy(statement(Principal={"AWS": "arn:aws:iam::123456789012:root"}))}, False),
    ({"accessPolicies": access_policy({k: v for k, v in statement(NotPrincipal={
        "AWS": "arn:aws:iam::123456789012:root"}).items() if k != "Principal"})}, True),
    ({"accessPolicies": UNKNOWN}, False), ({"accessPolicies": None}, False)])
def test_a_public_domain_s_open_access_policy_as_opensearch_reads_it(settings, reported):
    """AWS's IP-based policies are open ones with aws:SourceIp; es:* is es:ESHttp* in a domain access policy."""
    assert opened([public(**settings)]) == reported
    assert opened([public("aws:elasticsearch/domain:Domain", **settings)]) == reported


def test_a_condition_on_every_address_is_reported_as_no_limit():
    """IpAddress aws:SourceIp 0.0.0.0/0 names a source address, yet lets the whole internet in."""
    everywhere = access_policy(statement(Condition={"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}))
    (message,) = {message for policy, _, message in findings(analyze([public(accessPolicies=everywhere)]))
                  if policy == OPEN}
    assert f"requests {UNLIMITED}, and the domain has a public endpoint" in message


def domain_policy(domain_name, document=None, kind="aws:opensearch/domainPolicy:DomainPolicy", **refs) -> Res:
    return Res(kind, "search-policy", {"domainName": domain_name, "accessPolicies": document or access_policy()},
               refs=refs)


@pytest.mark.parametrize("inline, holder, reported", [
    # A DomainPolicy replaces the domain's own policy, for a domain of either type.
    (access_policy(statement(Principal={"AWS": "arn:aws:iam::123456789012:root"})), domain_policy("search"), True),
    (access_policy(statement(Principal={"AWS": "arn:aws:iam::123456789012:root"})),
     domain_policy("search", kind="aws:elasticsearch/domainPolicy:DomainPolicy"), True),
    (access_policy(), domain_policy("search", access_policy(statement(Principal={
        "AWS": "arn:aws:iam::123456789012:root"}))), False),
    (access_policy(), domain_policy("other"), True),
    # Named by the domain's own output (unknown in a first preview) it is the domain's; by a value unknown until
    # the update that may name the domain, neither is judged; by another resource's output (the pack's `made_from`),
    # another domain's. A document unknown until the update is not judged.
    (None, domain_policy(UNKNOWN, domainName=["search"]), True), (access_policy(), domain_policy(UNKNOWN), False),
    (access_policy(), domain_policy(UNKNOWN, access_policy(statement(Principal={
        "AWS": "arn:aws:iam::123456789012:root"})), domainName=["search-name"]), True),
    (None, domain_policy("search", UNKNOWN), False)])
def test_a_domain_policy_set_apart_is_the_domain_s_access_policy(inline, holder, reported):
    resources = [public(accessPolicies=inline), holder]
    if holder.refs:
        resources.append(Res("aws:ssm/parameter:Parameter", "search-name", {"name": "search-name", "type": "String"}))
    assert opened(resources) == reported


def test_a_domain_policy_for_a_domain_outside_the_stack_is_not_judged():
    """Its domain's endpoint and fine-grained access control are not known: an open policy is AWS's advice for one."""
    assert not opened([domain_policy("elsewhere")])


def security_policy(kind, document) -> Res:
    return Res("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "policy", {
        "name": "policy", "type": kind, "policy": document if document is UNKNOWN else json.dumps(document)})


RULES = [{"ResourceType": "collection", "Resource": ["collection/logs"]}]


@pytest.mark.parametrize("kind, document, found", [
    ("network", [{"Rules": RULES, "AllowFromPublic": True}], {PUBLIC}),
    ("network", {"Rules": [{"ResourceType": "dashboard", "Resource": "collection/logs"}], "AllowFromPublic": True},
     {PUBLIC}),
    ("network", [{"Rules": RULES, "AllowFromPublic": False, "SourceServices": ["bedrock.amazonaws.com"]}], set()),
    ("network", [{"Rules": RULES, "SourceVPCEs": ["vpce-1"]}], set()),
    ("network", [{"Rules": RULES, "AllowFromPublic": "true"}], set()),  # no JSON boolean: AWS would refuse it
    ("network", UNKNOWN, set()), (UNKNOWN, [{"Rules": RULES, "AllowFromPublic": True}], set()),
    ("encryption", [{"Rules": RULES, "AllowFromPublic": True}], set()),
    ("encryption", {"Rules": RULES, "AWSOwnedKey": True}, {OWNED_KEY}),
    ("encryption", {"Rules": RULES, "AWSOwnedKey": False, "KmsARN": "arn:aws:kms:us-east-1:1:key/k"}, set()),
    ("encryption", {"Rules": RULES, "AWSOwnedKey": True, "KmsARN": ""}, {OWNED_KEY}),
    ("encryption", UNKNOWN, set()), (UNKNOWN, {"Rules": RULES, "AWSOwnedKey": True}, set()),
    ("network", {"Rules": RULES, "AWSOwnedKey": True}, set())])
def test_a_serverless_security_policy_as_opensearch_serverless_reads_it(kind, document, found):
    assert policies_found([security_policy(kind, document)]) == found


@pytest.mark.parametrize("configs, found", [
    ([{"awsOwnedKey": True}], {OWNED_KEY}), ([{"awsOwnedKey": True, "kmsKeyArn": ""}], {OWNED_KEY}),
    ([{"awsOwnedKey": False, "kmsKeyArn": "arn:aws:kms:us-east-1:111111111111:key/k"}], set()),
    ([{"awsOwnedKey": True, "kmsKeyArn": UNKNOWN}], set()), ([{"awsOwnedKey": UNKNOWN}], set()), (UNKNOWN, set()),
    (None, set())])
def test_a_serverless_collection_naming_its_own_key_is_held_to_a_customer_managed_one(configs, found):
    """CreateCollection's encryptionConfig wins over the encryption policy's: an AWS owned key there is one too."""
    collection = Res("aws:opensearch/serverlessCollection:ServerlessCollection", "logs", {
        "name": "logs", "type": "SEARCH", "tags": {"Project": "p", "Environment": "e", "Owner": "o", "CostCenter": "c"},
        **({} if configs is None else {"encryptionConfigs": configs})})
    assert policies_found([collection]) == found


def test_a_serverless_policy_that_is_no_json_is_not_judged():
    assert policies_found([Res("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "policy", {
        "name": "policy", "type": "network", "policy": "[{\"AllowFromPublic\": true"})]) == set()


def test_error_logging_anchors_the_config_rule_of_each_domain_type():
    """Opensearch.4 is AWS Config's opensearch-logs-to-cloudwatch (AWS::OpenSearch::Domain; "does not evaluate
    Elasticsearch domains"), ES.4 its elasticsearch-logs-to-cloudwatch (AWS::Elasticsearch::Domain): both exist."""
    assert {"Config opensearch-logs-to-cloudwatch", "Config elasticsearch-logs-to-cloudwatch"} <= set(
        ENTRIES[ERRORS].anchors)
