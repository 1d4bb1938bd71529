"""EKS clusters, judged by what pulumi-aws sends and what EKS does with what it leaves out (terraform-provider-aws
`aws_eks_cluster`: `vpcConfig.endpointPublicAccess` defaults to true, `publicAccessCidrs` left out is EKS's
0.0.0.0/0, `enabledClusterLogTypes` left out turns no control plane log on, `encryptionConfig` left out leaves
Kubernetes secrets to EKS's default envelope encryption with an AWS owned key, from Kubernetes 1.28, and
`accessConfig.authenticationMode` left out is sent as no mode, which CreateCluster makes CONFIG_MAP)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.addresses import internet_cidrs, network_of
from ..core.props import UNKNOWN, has_text, is_false, is_map, peek, peek_items
from ..core.registry import ADVISORY, config_list, resource_policy, string_list
from . import CLUSTER


def _internet(cidrs: list[str]) -> Optional[str]:
    """How the known CIDRs reach the whole internet, in words that do not change when more become known; None where
    they do not."""
    found = internet_cidrs(cidrs)
    if not found:
        return None
    zero = [cidr for cidr in found if (network := network_of(cidr)) is not None and network.prefixlen == 0]
    return f"holds {zero[0]}" if zero else "holds blocks that add up to the internet"


def _within(cidr: str, allowed: list[str]) -> bool:
    network = network_of(cidr)
    return network is not None and any(
        (block := network_of(a)) is not None and block.version == network.version and network.subnet_of(block)
        for a in allowed)


def _local_cluster(props: Any) -> bool:
    """A local cluster on an Outpost (`outpostConfig`), which EKS allows no `encryptionConfig` and CONFIG_MAP access
    only; an unknown `outpostConfig` counts, so the policies that skip local clusters wait for it."""
    return peek(props, "outpostConfig") is not None


@resource_policy(
    "eks-cluster-endpoint-not-public", CLUSTER,
    description="EKS clusters must not serve their Kubernetes API on a public endpoint: only IAM authentication and "
                "Kubernetes RBAC then stand between the internet and the cluster's control plane.",
    severity=Severity.HIGH,
    anchors=("Security Hub EKS.1", "Config eks-endpoint-no-public-access", "CT.EKS.PR.1"),
    anchor_note="EKS.1 fails any public endpoint, whatever its publicAccessCidrs; knob allowedPublicCidrs lets a "
                "stack pass known ranges",
    config={"allowedPublicCidrs": string_list(
        "CIDRs from which a stack's clusters may keep a public endpoint (an office's or CI runners' egress "
        "addresses): publicAccessCidrs must all lie within them. Empty by default, as Security Hub EKS.1 fails any "
        "public endpoint; the internet (0.0.0.0/0, or blocks that add up to it) is never allowed.")},
)
def endpoint_not_public(args: ResourceValidationArgs) -> Iterator[str]:
    """`vpcConfig.endpointPublicAccess` is false (left out, the provider sends true), or every
    `vpcConfig.publicAccessCidrs` entry lies within knob `allowedPublicCidrs` (empty by default); left out, EKS admits
    0.0.0.0/0, which no knob allows. An unknown `endpointPublicAccess` is not judged, nor are the other CIDRs when
    one is unknown"""
    config = peek(args.props, "vpcConfig")
    public = peek(config, "endpointPublicAccess") if is_map(config) else config
    if public is UNKNOWN or is_false(public):
        return
    where = "endpointPublicAccess is " + ("unset (true)" if public is None else "true")
    items = peek_items(config, "publicAccessCidrs")
    cidrs = [c for c in items if isinstance(c, str)]
    if not items:
        yield (f"vpcConfig.{where} and publicAccessCidrs is unset (0.0.0.0/0): the Kubernetes API endpoint is open to "
               "the whole internet; set endpointPublicAccess false and endpointPrivateAccess true, and reach the API "
               "from the VPC")
        return
    internet = _internet(cidrs)
    if internet:
        yield (f"vpcConfig.{where} and publicAccessCidrs {internet}: the Kubernetes API endpoint is open to the whole "
               "internet; set endpointPublicAccess false and endpointPrivateAccess true, and reach the API from the "
               "VPC")
        return
    if UNKNOWN in items:
        return
    allowed = config_list(args, "allowedPublicCidrs")
    outside = [c for c in cidrs if not _within(c, allowed)]
    if outside:
        yield (f"vpcConfig.{where} and publicAccessCidrs admits {', '.join(sorted(outside))}, not within knob "
               "allowedPublicCidrs: the Kubernetes API endpoint is public (Security Hub EKS.1 fails any public "
               "endpoint); set endpointPublicAccess false and reach the API from the VPC, or list the ranges the "
               "stack trusts in allowedPublicCidrs")


@resource_policy(
    "eks-cluster-secrets-encrypted", CLUSTER,
    description="EKS clusters must envelope-encrypt Kubernetes secrets with a KMS key of the account "
                "(encryptionConfig): EKS's own default, from Kubernetes 1.28, uses an AWS owned key, whose use the "
                "account cannot audit, rotate or revoke.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EKS.3", "Config eks-secrets-encrypted", "CT.EKS.PR.2"),
)
def secrets_encrypted(args: ResourceValidationArgs) -> Iterator[str]:
    """`encryptionConfig.resources` lists `secrets` (left out, EKS envelope-encrypts Kubernetes API data with an AWS
    owned key from Kubernetes 1.28, and before it keeps secrets under the disk's encryption alone); a local cluster
    on an Outpost (`outpostConfig`), which takes no `encryptionConfig`, is not judged, nor are unknown values"""
    if _local_cluster(args.props):
        return
    config = peek(args.props, "encryptionConfig")
    if config is UNKNOWN:
        return
    resources = peek_items(config, "resources") if is_map(config) else []
    if UNKNOWN in resources or "secrets" in resources:
        return
    what = "unset" if config is None else "set without secrets in resources"
    yield (f"encryptionConfig is {what}: EKS envelope-encrypts Kubernetes secrets with an AWS owned key (from "
           "Kubernetes 1.28; before, only the disk's encryption), whose use the account cannot audit in CloudTrail, "
           "rotate or revoke; set encryptionConfig with resources [secrets] and provider.keyArn a customer managed "
           "KMS key")


@resource_policy(
    "eks-cluster-audit-logging", CLUSTER,
    description="EKS clusters must send their Kubernetes API server's audit log to CloudWatch Logs, the record of "
                "who did what through the Kubernetes API.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub EKS.8", "Config eks-cluster-log-enabled"),
    anchor_note="EKS.8 is the Config rule with logTypes audit",
)
def audit_logging(args: ResourceValidationArgs) -> Iterator[str]:
    """`enabledClusterLogTypes` lists `audit` (left out, EKS sends no control plane log); an unknown list or entry
    is not judged"""
    types = peek_items(args.props, "enabledClusterLogTypes")
    if UNKNOWN in types or "audit" in types:
        return
    listed = f"lists {', '.join(t for t in types if isinstance(t, str))} but not audit" if types else "is unset"
    yield (f"enabledClusterLogTypes {listed}: nothing records who read or changed what through the Kubernetes "
           "API; add audit")


@resource_policy(
    "eks-cluster-access-entries", CLUSTER,
    description="EKS clusters should grant IAM principals access to Kubernetes through EKS access entries "
                "(authenticationMode API or API_AND_CONFIG_MAP), not only through the aws-auth ConfigMap, which EKS "
                "deprecates.",
    severity=Severity.LOW,
    level=ADVISORY,
    anchor_note="the Amazon EKS User Guide: the aws-auth ConfigMap is deprecated, access entries are the "
                "recommended method; no rule id",
)
def access_entries(args: ResourceValidationArgs) -> Iterator[str]:
    """`accessConfig.authenticationMode` is API or API_AND_CONFIG_MAP (left out or empty, the provider sends none and
    EKS's CreateCluster makes the cluster CONFIG_MAP); a local cluster on an Outpost (`outpostConfig`), which EKS
    allows CONFIG_MAP only, is not judged, nor is an unknown mode"""
    if _local_cluster(args.props):
        return
    mode = peek(args.props, "accessConfig", "authenticationMode")
    if mode is UNKNOWN or mode in ("API", "API_AND_CONFIG_MAP"):
        return
    what = mode if has_text(mode) else "unset (CONFIG_MAP)"
    yield (f"accessConfig.authenticationMode is {what}: IAM principals reach Kubernetes only through the aws-auth "
           "ConfigMap, which EKS deprecates for access entries managed through the EKS API; set API_AND_CONFIG_MAP, "
           "move the ConfigMap's entries to access entries, then set API")
