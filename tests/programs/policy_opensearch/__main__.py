"""Raw search domains: in a VPC, encrypted both ways, HTTPS with a current TLS policy, audit and error logs,
fine-grained access control; and ones that leave each to OpenSearch's defaults or turn it off. Access policies open
to everyone, inline or set apart, on public and VPC domains, with and without fine-grained access control.
OpenSearch Serverless network and encryption policies: private and public endpoints, customer managed and AWS owned
keys."""
import json

import pulumi
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
AUDIT_LOGS = aws.cloudwatch.LogGroup("search-audit", retention_in_days=365,
                                      kms_key_id="arn:aws:kms:us-east-1:123456789012:alias/logs", tags=TAGS)
SAFE = dict(
    vpc_options={"subnet_ids": ["subnet-a", "subnet-b"], "security_group_ids": ["sg-search"]},
    encrypt_at_rest={"enabled": True},
    node_to_node_encryption={"enabled": True},
    domain_endpoint_options={"enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-2-PFS-2023-10"},
    advanced_security_options={"enabled": True, "master_user_options": {
        "master_user_arn": "arn:aws:iam::123456789012:role/search-admin"}},
    log_publishing_options=[{"log_type": kind, "cloudwatch_log_group_arn": AUDIT_LOGS.arn}
                            for kind in ("AUDIT_LOGS", "ES_APPLICATION_LOGS")],
    cluster_config={"instance_type": "r7g.large.search", "instance_count": 3, "zone_awareness_enabled": True,
                    "zone_awareness_config": {"availability_zone_count": 2}, "dedicated_master_enabled": True,
                    "dedicated_master_count": 3, "dedicated_master_type": "m7g.large.search"},
    ebs_options={"ebs_enabled": True, "volume_size": 100},
    access_policies=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/search-admin"}, "Action": "es:*",
        "Resource": "*"}]}),
    tags=TAGS)


def domain(name, kind=aws.opensearch.Domain, **settings):
    version = {"engine_version": "OpenSearch_2.19"} if kind is aws.opensearch.Domain else {
        "elasticsearch_version": "7.10"}
    return kind(name, domain_name=name, **version, **{**SAFE, **settings})


def open_to_everyone(action, **statement):
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": action, "Resource": "*", **statement}]}


domain("catalogue")
# Everything left to OpenSearch: a public endpoint, no encryption, plain HTTP, no logs, the default cluster, no
# fine-grained access control, and an access policy that lets everyone in.
domain("bare", vpc_options=None, encrypt_at_rest=None, node_to_node_encryption=None, domain_endpoint_options=None,
       advanced_security_options=None, log_publishing_options=None, cluster_config=None,
       access_policies=json.dumps(open_to_everyone("es:*")))
# A public endpoint behind fine-grained access control, with the open policy AWS recommends beside it.
domain("public-fgac", vpc_options=None, access_policies=json.dumps(open_to_everyone("es:ESHttp*")))
# The same in fine-grained access control's migration period, which lets anonymous requests in; its open policy (reads
# only) set apart, naming the domain by its name.
migrating = domain("migrating", vpc_options=None, advanced_security_options={
    "enabled": True, "anonymous_auth_enabled": True,
    "master_user_options": {"master_user_arn": "arn:aws:iam::123456789012:role/search-admin"}})
aws.opensearch.DomainPolicy("migrating-policy", domain_name=migrating.domain_name, access_policies=json.dumps(
    open_to_everyone(["es:ESHttpGet", "es:ESHttpHead"], Sid="AnyoneReads")))
# Each switched off, on the legacy resource, on two data nodes in one zone that also manage the cluster.
domain("legacy", aws.elasticsearch.Domain, encrypt_at_rest={"enabled": False},
       cluster_config={"instance_type": "r7g.large.search", "instance_count": 2, "zone_awareness_enabled": False,
                       "dedicated_master_enabled": False},
       node_to_node_encryption={"enabled": False}, advanced_security_options={"enabled": False},
       domain_endpoint_options={"enforce_https": False, "tls_security_policy": "Policy-Min-TLS-1-0-2019-07"},
       log_publishing_options=[{"log_type": kind, "cloudwatch_log_group_arn": AUDIT_LOGS.arn, "enabled": False}
                               for kind in ("AUDIT_LOGS", "ES_APPLICATION_LOGS")])
# A VPC domain's open policy, set apart: its security groups decide who reaches it.
aws.elasticsearch.DomainPolicy("legacy-policy", domain_name="legacy", access_policies=open_to_everyone("es:*"))
# A public legacy domain without fine-grained access control, whose DomainPolicy (a map, which pulumi-aws takes as a
# PolicyDocument) replaces its own account-only policy with one open to everyone.
domain("legacy-public", aws.elasticsearch.Domain, vpc_options=None, advanced_security_options=None)
aws.elasticsearch.DomainPolicy("legacy-public-policy", domain_name="legacy-public",
                               access_policies=open_to_everyone("es:ESHttpGet"))
# HTTPS by the provider's default within the block, with the service's TLS policy; only slow logs published.
domain("unpinned", domain_endpoint_options={"custom_endpoint_enabled": False},
       log_publishing_options=[{"log_type": "SEARCH_SLOW_LOGS", "cloudwatch_log_group_arn": AUDIT_LOGS.arn}])
# TLS 1.2, but ciphers without forward secrecy too (the knob allowedTlsPolicies may accept it).
domain("partners", domain_endpoint_options={"enforce_https": True,
                                            "tls_security_policy": "Policy-Min-TLS-1-2-2019-07"})
# A FIPS policy on the legacy resource.
domain("fips", aws.elasticsearch.Domain, domain_endpoint_options={
    "enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-2-RFC9151-FIPS-2024-08"})


# OpenSearch Serverless security policies. Network: collections and dashboards reached through a VPC endpoint (its id
# unknown on a first preview), and one whose second rule set opens the dashboards of logs* to the internet.
def security_policy(name, kind, document):
    return aws.opensearch.ServerlessSecurityPolicy(name, name=name, type=kind, policy=document)


search_endpoint = aws.opensearch.ServerlessVpcEndpoint("search-endpoint", name="search", vpc_id="vpc-search",
                                                      subnet_ids=["subnet-a"], security_group_ids=["sg-search"])
security_policy("search-private", "network", pulumi.Output.json_dumps([{
    "Rules": [{"ResourceType": "collection", "Resource": ["collection/logs*"]},
              {"ResourceType": "dashboard", "Resource": ["collection/logs*"]}],
    "AllowFromPublic": False, "SourceVPCEs": [search_endpoint.id]}]))
security_policy("search-public-dashboards", "network", json.dumps([
    {"Rules": [{"ResourceType": "collection", "Resource": ["collection/logs*"]}], "AllowFromPublic": False,
     "SourceVPCEs": ["vpce-0123456789abcdef0"]},
    {"Rules": [{"ResourceType": "dashboard", "Resource": ["collection/logs*", "collection/audit"]}],
     "AllowFromPublic": True}]))
# Encryption: a customer managed key (its ARN unknown on a first preview), an AWS owned key, and a KmsARN that wins
# over AWSOwnedKey.
search_key = aws.kms.Key("search-key", enable_key_rotation=True, tags=TAGS)
security_policy("search-cmk", "encryption", pulumi.Output.json_dumps({
    "Rules": [{"ResourceType": "collection", "Resource": ["collection/logs*"]}], "AWSOwnedKey": False,
    "KmsARN": search_key.arn}))
security_policy("search-owned-key", "encryption", json.dumps({
    "Rules": [{"ResourceType": "collection", "Resource": ["collection/audit"]}], "AWSOwnedKey": True}))
security_policy("search-both-keys", "encryption", json.dumps({
    "Rules": [{"ResourceType": "collection", "Resource": ["collection/metrics"]}], "AWSOwnedKey": True,
    "KmsARN": "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"}))
