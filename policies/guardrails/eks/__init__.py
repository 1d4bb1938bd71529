"""EKS guardrails: a cluster's Kubernetes API endpoint is private, its secrets are envelope-encrypted with the
account's KMS key, its API server writes audit logs and it grants access through access entries; a managed node group
opens no remote access port to the internet."""

CLUSTER = "aws:eks/cluster:Cluster"
"""EKS clusters, judged by what pulumi-aws sends and what EKS does with what it leaves out (terraform-provider-aws
`aws_eks_cluster`: `vpcConfig.endpointPublicAccess` defaults to true, `publicAccessCidrs` left out is EKS's
0.0.0.0/0, `enabledClusterLogTypes` left out turns no control plane log on, `encryptionConfig` left out leaves
Kubernetes secrets to EKS's default envelope encryption with an AWS owned key, from Kubernetes 1.28, and
`accessConfig.authenticationMode` left out is sent as no mode, which CreateCluster makes CONFIG_MAP)."""
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
"""EKS managed node groups (terraform-provider-aws `aws_eks_node_group`, which sends `remoteAccess.ec2SshKey` and
`sourceSecurityGroupIds` only when not empty)."""
