"""EKS guardrails: a cluster's Kubernetes API endpoint is private, its secrets are envelope-encrypted with the
account's KMS key, its API server writes audit logs and it grants access through access entries; a managed node group
opens no remote access port to the internet."""

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
