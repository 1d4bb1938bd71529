"""OpenSearch guardrails: a search domain lives in a VPC, encrypts what it stores and what it sends, takes only
current TLS over HTTPS, and asks who is calling."""

DOMAIN = "aws:opensearch/domain:Domain"
# The legacy Elasticsearch Service resource: the same API underneath, the same blocks in pulumi-aws.
ELASTICSEARCH_DOMAIN = "aws:elasticsearch/domain:Domain"
DOMAINS = (DOMAIN, ELASTICSEARCH_DOMAIN)
