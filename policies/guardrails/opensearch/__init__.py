"""OpenSearch guardrails: a search domain lives in a VPC, encrypts what it stores and what it sends, takes only
current TLS over HTTPS, asks who is calling, does not let the internet in unauthenticated, publishes its audit and
error logs, and runs enough data and dedicated master nodes to lose one; an OpenSearch Serverless collection is
reached through VPC endpoints, not from the internet, and is encrypted with a key of the account."""

DOMAIN = "aws:opensearch/domain:Domain"
# The legacy Elasticsearch Service resource: the same API underneath, the same blocks in pulumi-aws.
ELASTICSEARCH_DOMAIN = "aws:elasticsearch/domain:Domain"
DOMAINS = (DOMAIN, ELASTICSEARCH_DOMAIN)
# A domain's access policy set apart from it, naming the domain by domainName, in place of the domain's own
# `accessPolicies` (terraform-provider-aws writes it with UpdateDomainConfig AccessPolicies for the OpenSearch type,
# UpdateElasticsearchDomainConfig AccessPolicies for the Elasticsearch one); either type for a domain of either type:
# one service underneath.
DOMAIN_POLICIES = ("aws:opensearch/domainPolicy:DomainPolicy", "aws:elasticsearch/domainPolicy:DomainPolicy")
# OpenSearch Serverless' network and encryption policies (CreateSecurityPolicy, `type` network or encryption).
SERVERLESS_SECURITY_POLICY = "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy"
# A collection (CreateCollection), which may name its own key in `encryptionConfigs`, over the encryption policy's.
SERVERLESS_COLLECTION = "aws:opensearch/serverlessCollection:ServerlessCollection"
