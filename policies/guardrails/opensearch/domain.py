"""OpenSearch (and legacy Elasticsearch) domains, judged by what pulumi-aws sends and what OpenSearch Service does with
what it leaves out: CreateDomain's EncryptionAtRestOptions, NodeToNodeEncryptionOptions and DomainEndpointOptions are
off unless sent (Security Hub's Opensearch.1 remediation: "by default, domains do not encrypt data at rest"); within a
sent `domainEndpointOptions` the provider defaults `enforceHttps` to true, and leaves `tlsSecurityPolicy` to the
service (terraform-provider-aws `aws_opensearch_domain`). A domain's access policy is its `accessPolicies`, or a
DomainPolicy's, which terraform-provider-aws writes over it (UpdateDomainConfig, or UpdateElasticsearchDomainConfig for
the Elasticsearch type, with AccessPolicies)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from ..core.props import (UNKNOWN, has_text, is_false, is_true, num, number, peek, peek_items, switch_reading,
                          switched_off)
from ..core.registry import ADVISORY, config_list, resource_policy, stack_policy, string_list
from ..core.stack import of_type, policy_documents
from ..core.switches import switch_policy
from ..iam.documents import grantee, public_statements
from . import DOMAIN_POLICIES, DOMAINS

# The policies with a TLS 1.2 floor and forward secrecy (botocore's opensearch model, TLSSecurityPolicy); Security
# Hub's Opensearch.8 asks for the first.
CURRENT_TLS_POLICIES = ("Policy-Min-TLS-1-2-PFS-2023-10", "Policy-Min-TLS-1-2-RFC9151-FIPS-2024-08",
                        "Policy-Min-TLS-1-2-FIPS-PQ-2026-10")


switch_policy(
    "opensearch-domain-encrypted-at-rest", DOMAINS, "encryptAtRest.enabled",
    "the domain's indices, logs and snapshots are not encrypted; set encryptAtRest.enabled true (an Elasticsearch "
    "engine before 6.7 is replaced to turn it on)",
    block=True,
    description="OpenSearch domains must encrypt their data at rest (indices, logs, swap and automated snapshots) "
                "with a KMS key.",
    severity=Severity.HIGH,
    anchors=("Security Hub Opensearch.1", "Security Hub ES.1", "Config opensearch-encrypted-at-rest"),
    checks="""
    `encryptAtRest.enabled` is true (the block left out, OpenSearch leaves a new domain unencrypted); an unknown
    value is not judged""",
)


switch_policy(
    "opensearch-domain-node-to-node-encryption", DOMAINS, "nodeToNodeEncryption.enabled",
    "the domain's nodes send each other documents and queries in plain text; set it true",
    block=True,
    description="OpenSearch domains must encrypt the traffic between their nodes, so no one inside the VPC reads "
                "the documents and queries the nodes exchange.",
    severity=Severity.HIGH,
    anchors=("Security Hub Opensearch.3", "Security Hub ES.3", "Config opensearch-node-to-node-encryption-check"),
    checks="""
    `nodeToNodeEncryption.enabled` is true (the block left out, OpenSearch leaves it off); an unknown value is not
    judged""",
)


@resource_policy(
    "opensearch-domain-https-only", DOMAINS,
    description="OpenSearch domains must take HTTPS only, with a TLS policy of TLS 1.2 or later and forward-secret "
                "ciphers.",
    severity=Severity.HIGH,
    anchors=("Security Hub Opensearch.8", "Security Hub ES.8", "Config opensearch-https-required"),
    config={"allowedTlsPolicies": string_list(
        f"Further tlsSecurityPolicy names to accept besides {', '.join(CURRENT_TLS_POLICIES)} (e.g. "
        "Policy-Min-TLS-1-2-2019-07 for clients without forward-secret ciphers).")},
)
def https_only(args: ResourceValidationArgs) -> Iterator[str]:
    """`domainEndpointOptions` is set, with `enforceHttps` not false (the provider's default within the block is
    true; without the block OpenSearch takes plain HTTP) and `tlsSecurityPolicy` one of
    Policy-Min-TLS-1-2-PFS-2023-10, -RFC9151-FIPS-2024-08 or -FIPS-PQ-2026-10 (knob `allowedTlsPolicies`); left
    out, the service chooses, and older domains got Policy-Min-TLS-1-0-2019-07; unknown values are not judged"""
    options = peek(args.props, "domainEndpointOptions")
    if options is UNKNOWN:
        return
    if options is None:
        yield ("domainEndpointOptions is left out: the domain takes plain HTTP and the service chooses its TLS policy; "
               f"set enforceHttps true and tlsSecurityPolicy {CURRENT_TLS_POLICIES[0]}")
        return
    if is_false(peek(options, "enforceHttps")):
        yield "domainEndpointOptions.enforceHttps is false: clients may send queries and credentials over plain HTTP"
    policy = peek(options, "tlsSecurityPolicy")
    if policy is UNKNOWN or policy in (*CURRENT_TLS_POLICIES, *config_list(args, "allowedTlsPolicies")):
        return
    state = policy if has_text(policy) else "unset (the service chooses; older domains got Policy-Min-TLS-1-0-2019-07)"
    yield (f"domainEndpointOptions.tlsSecurityPolicy is {state}, not a policy of TLS 1.2 or later with "
           f"forward-secret ciphers only; set {CURRENT_TLS_POLICIES[0]}")


def _has_subnets(props: Any) -> bool:
    """Whether the domain names subnets (known or not) in `vpcOptions`: its endpoint is in a VPC, not public
    (CreateDomain without VPCOptions gives it a public one)."""
    return bool(peek_items(props, "vpcOptions", "subnetIds"))


@resource_policy(
    "opensearch-domain-in-vpc", DOMAINS,
    description="OpenSearch domains must be in a VPC: a domain outside one has a public endpoint, and only its access "
                "policy stands between the internet and the data.",
    severity=Severity.HIGH,
    anchors=("Security Hub Opensearch.2", "Security Hub ES.2", "Config opensearch-in-vpc-only"),
)
def in_vpc(args: ResourceValidationArgs) -> Iterator[str]:
    """`vpcOptions.subnetIds` is set (known or not); without it the domain gets a public endpoint"""
    if _has_subnets(args.props):
        return
    yield ("vpcOptions.subnetIds is not set: the domain gets a public endpoint, reachable from the internet wherever "
           "its access policy allows; put it in private subnets (vpcOptions replaces the domain)")


@resource_policy(
    "opensearch-domain-audit-logging", DOMAINS,
    description="OpenSearch domains should publish audit logs to CloudWatch Logs, so who read or changed which index "
                "can be told afterwards.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Opensearch.5", "Security Hub ES.5", "Config opensearch-audit-logging-enabled"),
)
def audit_logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`logPublishingOptions` has an `AUDIT_LOGS` entry not disabled (`enabled` defaults to true); an unknown list or
    entry is not judged"""
    if not _may_publish(args.props, "AUDIT_LOGS"):
        yield ("logPublishingOptions has no enabled AUDIT_LOGS entry: no record of who searched or changed which "
               "index; publish audit logs to a log group (they need fine-grained access control)")


def _may_publish(props: Any, log_type: str) -> bool:
    """Whether `logPublishingOptions` has an entry of `log_type` not disabled (the provider's default for `enabled`
    is true), or may have one: the list, an entry or its type unknown until the update."""
    for option in peek_items(props, "logPublishingOptions"):
        kind = peek(option, "logType")
        if option is UNKNOWN or kind is UNKNOWN or (kind == log_type and not is_false(peek(option, "enabled"))):
            return True
    return False


@resource_policy(
    "opensearch-domain-error-logging", DOMAINS,
    description="OpenSearch domains should publish their error logs to CloudWatch Logs, so the errors and warnings "
                "a failing domain raises can be read.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Opensearch.4", "Security Hub ES.4", "Config opensearch-logs-to-cloudwatch",
             "Config elasticsearch-logs-to-cloudwatch"),
)
def error_logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`logPublishingOptions` has an `ES_APPLICATION_LOGS` entry (the error logs: botocore's LogType, "errors and
    warnings raised during the operation of the service") not disabled (`enabled` defaults to true); OpenSearch
    publishes no log type unless asked; an unknown list or entry is not judged"""
    if not _may_publish(args.props, "ES_APPLICATION_LOGS"):
        yield ("logPublishingOptions has no enabled ES_APPLICATION_LOGS entry: the errors and warnings the domain "
               "raises are kept nowhere to read when it fails; publish its error logs to a log group")


switch_policy(
    "opensearch-domain-fine-grained-access", DOMAINS, "advancedSecurityOptions.enabled",
    "whoever the access policy lets in reads and writes every index; turn on fine-grained access control with a master "
    "user or role",
    block=True,
    description="OpenSearch domains should have fine-grained access control on, so users and roles are held to "
                "their indices, documents and fields, not only to the domain's access policy.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Opensearch.7", "Config opensearch-access-control-enabled"),
    checks="""
    `advancedSecurityOptions.enabled` is true (left out, off); an unknown value is not judged""",
)


def _fewer_than_three(value: Any) -> bool:
    """Whether a node count, known, is below three: the floor of Security Hub's Opensearch.6 and .11."""
    count = number(value)
    return count is not None and count is not UNKNOWN and count < 3


@resource_policy(
    "opensearch-domain-data-nodes", DOMAINS,
    description="OpenSearch domains should run at least three data nodes with zone awareness on, so a node's or an "
                "Availability Zone's failure leaves the cluster serving.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Opensearch.6", "Security Hub ES.6", "Config opensearch-data-node-fault-tolerance"),
)
def data_nodes(args: ResourceValidationArgs) -> Iterator[str]:
    """`clusterConfig.instanceCount` is at least 3 (the provider's default within the block is 1) and
    `clusterConfig.zoneAwarenessEnabled` true (off unless set); without the block the provider sends no
    ClusterConfig and the service's default cluster has zone awareness off; unknown values are not judged"""
    cluster = peek(args.props, "clusterConfig")
    if cluster is UNKNOWN:
        return
    if cluster is None:
        yield ("clusterConfig is left out: the service's default cluster, with zone awareness off; set instanceCount "
               "3 or more and zoneAwarenessEnabled true")
        return
    count = peek(cluster, "instanceCount")
    if count is None or _fewer_than_three(count):
        shown = "left out (1, the provider's default)" if count is None else num(count)
        yield (f"clusterConfig.instanceCount is {shown}: fewer than three data nodes, so one node's failure can stop "
               "the cluster's operations; run 3 or more")
    zones = switched_off(cluster, "zoneAwarenessEnabled")
    if zones:
        yield (f"clusterConfig.zoneAwarenessEnabled is {zones}: every data node is in one Availability Zone, whose "
               "outage takes the domain down; turn it on (zoneAwarenessConfig.availabilityZoneCount 2 or 3)")


@resource_policy(
    "opensearch-domain-dedicated-master-nodes", DOMAINS,
    description="OpenSearch domains should have at least three dedicated master nodes, so the cluster keeps a "
                "quorum to manage itself when one fails.",
    severity=Severity.MEDIUM, level=ADVISORY,
    anchors=("Security Hub Opensearch.11", "Security Hub ES.7", "Config opensearch-primary-node-fault-tolerance"),
)
def dedicated_master_nodes(args: ResourceValidationArgs) -> Iterator[str]:
    """`clusterConfig.dedicatedMasterEnabled` is true (the provider's default is false; without the block the
    provider sends no ClusterConfig, and the service's default has none) and `dedicatedMasterCount`, where given,
    at least 3; left out, the service chooses, and OpenSearch's API takes no count below 3 (botocore ClusterConfig:
    "greater than 2 and not 4"); unknown values are not judged"""
    cluster = peek(args.props, "clusterConfig")
    if cluster is UNKNOWN:
        return
    if cluster is None:  # no ClusterConfig sent, none made: said as opensearch-domain-data-nodes says it
        problem = "clusterConfig is left out: the service's default cluster, without dedicated master nodes, so"
    else:
        off = switched_off(cluster, "dedicatedMasterEnabled")
        problem = f"clusterConfig.dedicatedMasterEnabled is {off}:" if off else None
    if problem:
        yield (f"{problem} the data nodes also manage the cluster, and a busy or failed one can leave it without a "
               "master; enable 3 dedicated master nodes")
        return
    count = peek(cluster, "dedicatedMasterCount")
    if is_true(peek(cluster, "dedicatedMasterEnabled")) and _fewer_than_three(count):
        yield (f"clusterConfig.dedicatedMasterCount is {num(count)}: fewer than three dedicated master nodes, so one "
               "failure leaves no quorum to elect a master; set 3 (or 5)")


# The requests a domain access policy lets callers send its endpoint: es:ESHttp<method>; there es:* is es:ESHttp*
# (the OpenSearch Service guide's "Identity and Access Management", resource-based policies).
_HTTP_USES = tuple((method, f"es:ESHttp{method.title()}")
                   for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"))


def _let_in_unauthenticated(props: Any) -> Optional[str]:
    """Why a domain takes what an open access policy lets through without asking who is calling: it has a public
    endpoint (no vpcOptions.subnetIds) and fine-grained access control, which would authenticate each request, is
    off, or on with anonymousAuthEnabled (its migration period, when "all users over the internet" still get in);
    None for a VPC domain (its security groups decide who reaches it: AWS's "About access policies on VPC domains"
    finds an open policy there acceptable), one that authenticates, or one where that is unknown until the update."""
    if _has_subnets(props):
        return None
    off = switch_reading(props, "advancedSecurityOptions.enabled", block=True)
    if off:
        return off
    security = peek(props, "advancedSecurityOptions")
    if is_true(peek(security, "enabled")) and is_true(peek(security, "anonymousAuthEnabled")):
        return ("advancedSecurityOptions.anonymousAuthEnabled is true (fine-grained access control lets anonymous "
                "requests in)")
    return None


@stack_policy(
    "opensearch-domain-access-policy-not-public", DOMAINS,
    description="OpenSearch domains with a public endpoint must not let everyone call them through an open access "
                "policy unless fine-grained access control authenticates each request: anyone on the internet "
                "could read and change their indices.",
    severity=Severity.CRITICAL,
    anchors=("Prowler opensearch_service_domains_not_publicly_accessible",),
    anchor_note="Prowler also reports an open policy on a domain with fine-grained access control, the domain access "
                "policy AWS recommends with it",
)
def access_policy_not_public(args: StackValidationArgs) -> Iterator[tuple[str, str]]:
    """no Allow statement of a domain's access policy (a DomainPolicy naming it by `domainName`, which replaces it,
    else its own `accessPolicies`) grants an `es:ESHttp*` request (`es:*`, `*`) to Principal `*` (or `{"AWS": "*"}`)
    or a NotPrincipal with no condition naming the callers (`aws:PrincipalAccount`, `aws:PrincipalOrgID`,
    `aws:SourceVpce`, ..., as for SQS and SNS) or limiting them to addresses (IpAddress on `aws:SourceIp`, CIDRs
    that do not add up to every public address: AWS's IP-based policies), where the domain has a public endpoint
    (no `vpcOptions.subnetIds`) and fine-grained access control (`advancedSecurityOptions.enabled`) off or with
    `anonymousAuthEnabled`; with it on, an open policy is what AWS recommends (the guide's "Fine-grained access
    control": a policy "that doesn't require signed requests"), and in a VPC the security groups decide who
    reaches the endpoint. A DomainPolicy for a domain outside the stack, whose endpoint and access control are not
    known, unknown documents, conditions and settings, and a policy that may be for the domain by a name unknown
    until the update, are not judged. A domain with both is judged by its DomainPolicy, written after it: the
    provider sends the domain's own `accessPolicies` at creation, and on an update only where it differs from the
    domain's state (terraform-provider-aws resourceDomainUpdate); once a refresh has read the DomainPolicy's
    document into that state, the domain's next update writes its own back over it, so give the policy one home"""
    for domain in of_type(args.resources, *DOMAINS):
        why = _let_in_unauthenticated(domain.props)
        if not why:
            continue
        for source, document in policy_documents(domain, args.resources, DOMAIN_POLICIES, "domainName",
                                                  ("domainName",), "domain", regional=True, document="accessPolicies"):
            for statement in public_statements(document, source):
                methods = statement.granted(_HTTP_USES, "")
                if methods:
                    yield (f"{statement.label} allows {grantee(statement)} to send {methods} requests with no "
                           "condition limiting the callers to an account, organization or addresses short of the "
                           f"whole internet, and the domain has a public endpoint while {why}: anyone on the internet "
                           "may send them to its indices and APIs unsigned; add IpAddress aws:SourceIp <your "
                           "addresses> or name the principals, or let fine-grained access control authenticate every "
                           "request"), domain.urn
