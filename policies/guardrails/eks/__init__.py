"""EKS guardrails: a cluster's Kubernetes API endpoint is private, its secrets are envelope-encrypted with the
account's KMS key, and its API server writes audit logs."""

CLUSTER = "aws:eks/cluster:Cluster"
