"""Raw EKS clusters: private, their secrets encrypted with the account's KMS key, writing audit logs, granting access
through access entries; and ones whose API endpoint is public (left to the defaults, open to 0.0.0.0/0, or limited
to ranges no knob allows), that leave secrets to EKS's AWS owned key, that log no audit, or that map IAM principals
through the aws-auth ConfigMap alone. Managed node groups without remote access or with SSH open to named security
groups only, and one whose SSH key opens port 22 to the internet. Values another resource gives, known only after
the update, are not judged."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
ROLE = "arn:aws:iam::123456789012:role/eks-cluster"
KEY = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012"
SUBNETS = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
PRIVATE = {"subnet_ids": SUBNETS, "endpoint_private_access": True, "endpoint_public_access": False}
SECRETS = {"resources": ["secrets"], "provider": {"key_arn": KEY}}
LOGS = ["api", "audit", "authenticator"]


ACCESS = {"authentication_mode": "API"}


def cluster(name, *, vpc=PRIVATE, encryption=SECRETS, logs=LOGS, version="1.33", access=ACCESS):
    return aws.eks.Cluster(name, name=name, role_arn=ROLE, version=version, vpc_config=vpc,
                           encryption_config=encryption, enabled_cluster_log_types=logs, access_config=access,
                           tags=TAGS)


cluster("orders-eks")
# Public by the provider's default, from EKS's default 0.0.0.0/0.
cluster("default-eks", vpc={"subnet_ids": SUBNETS})
cluster("open-eks", vpc={**PRIVATE, "endpoint_public_access": True, "public_access_cidrs": ["0.0.0.0/0"]})
# Public from CI runners' range, which the test's knob allowedPublicCidrs allows; and from an office's, which it does
# not (Security Hub EKS.1 fails both).
cluster("runners-eks", vpc={**PRIVATE, "endpoint_public_access": True, "public_access_cidrs": ["198.51.100.16/28"]})
cluster("office-eks", vpc={**PRIVATE, "endpoint_public_access": True,
                           "public_access_cidrs": ["198.51.100.0/28", "203.0.113.0/24"]})
cluster("plain-secrets-eks", encryption=None)
# Before Kubernetes 1.28 EKS has no default envelope encryption either.
cluster("old-eks", encryption=None, version="1.27")
cluster("quiet-eks", logs=None)
cluster("chatty-eks", logs=["api", "scheduler"])
# IAM principals mapped by the aws-auth ConfigMap alone: left to EKS's default, or set so; and by both, migrating.
cluster("configmap-default-eks", access=None)
cluster("configmap-eks", access={"authentication_mode": "CONFIG_MAP"})
cluster("migrating-eks", access={"authentication_mode": "API_AND_CONFIG_MAP"})
# A key, ranges and log types another resource gives, known only after the update: not judged.
key = aws.kms.Key("eks-secrets-key", enable_key_rotation=True, tags=TAGS)
ranges = aws.ec2.Eip("runner-egress", domain="vpc", tags=TAGS)
cluster("later-eks", vpc={**PRIVATE, "endpoint_public_access": True,
                          "public_access_cidrs": [ranges.public_ip.apply(lambda ip: f"{ip}/32")]},
        encryption={"resources": ["secrets"], "provider": {"key_arn": key.arn}},
        logs=[key.key_id.apply(lambda _: "audit")])


def node_group(name, **settings):
    return aws.eks.NodeGroup(name, cluster_name="orders", node_role_arn="arn:aws:iam::123456789012:role/eks-nodes",
                             subnet_ids=SUBNETS, scaling_config={"desired_size": 2, "max_size": 3, "min_size": 1},
                             tags=TAGS, **settings)


node_group("orders-nodes")
# A key without source security groups: EKS opens port 22 on the nodes to 0.0.0.0/0.
node_group("ssh-open-nodes", remote_access={"ec2_ssh_key": "ops-key"})
node_group("bastion-ssh-nodes", remote_access={"ec2_ssh_key": "ops-key", "source_security_group_ids": ["sg-0bastion"]})
# A key and a source group another resource gives, known only after the update: not judged.
bastion = aws.ec2.SecurityGroup("bastion", description="SSH bastion", vpc_id="vpc-0a1b2c3d", tags=TAGS)
pair = aws.ec2.KeyPair("ops-key", public_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA ops", tags=TAGS)
node_group("later-ssh-nodes", remote_access={"ec2_ssh_key": pair.key_name, "source_security_group_ids": [bastion.id]})
