"""OpenSearch guardrails: a search domain lives in a VPC, encrypts what it stores and what it sends, takes only
current TLS over HTTPS, and asks who is calling; an OpenSearch Serverless collection is reached through VPC
endpoints, not from the internet, and is encrypted with a key of the account."""

DOMAIN = "aws:opensearch/domain:Domain"
# The legacy Elasticsearch Service resource: the same API underneath, the same blocks in pulumi-aws.
ELASTICSEARCH_DOMAIN = "aws:elasticsearch/domain:Domain"
DOMAINS = (DOMAIN, ELASTICSEARCH_DOMAIN)
# OpenSearch Serverless' network and encryption policies (CreateSecurityPolicy, `type` network or encryption).
SERVERLESS_SECURITY_POLICY = "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy"
# A collection (CreateCollection), which may name its own key in `encryptionConfigs`, over the encryption policy's.
SERVERLESS_COLLECTION = "aws:opensearch/serverlessCollection:ServerlessCollection"
