"""Raw Amazon FSx file systems: single-AZ OpenZFS, ONTAP and Windows File Server ones, and Multi-AZ ones (said
outright, and one whose deployment type another resource gives, known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("file-clients", description="Clients of the file systems",
                              vpc_id="vpc-0a1b2c3d4e5f60001", tags=TAGS)
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]


def multi_az(kind):
    """The subnets a deployment type takes: two, and the preferred one, for a Multi-AZ file system."""
    if kind.startswith("MULTI_AZ"):
        return {"subnet_ids": SUBNETS, "preferred_subnet_id": SUBNETS[0]}
    return {"subnet_ids": SUBNETS[:1]}


def openzfs(name, kind, **args):
    return aws.fsx.OpenZfsFileSystem(name, deployment_type=kind, storage_capacity=64, throughput_capacity=160,
                                     security_group_ids=[GROUP.id], tags=TAGS,
                                     **{**multi_az(kind if isinstance(kind, str) else "MULTI_AZ_1"), **args})


def ontap(name, kind):
    # ONTAP takes a preferred subnet whatever the deployment type.
    return aws.fsx.OntapFileSystem(name, deployment_type=kind, storage_capacity=1024, throughput_capacity=384,
                                   security_group_ids=[GROUP.id], tags=TAGS,
                                   **{"preferred_subnet_id": SUBNETS[0], **multi_az(kind)})


def windows(name, kind=None):
    return aws.fsx.WindowsFileSystem(name, deployment_type=kind, storage_capacity=32, throughput_capacity=32,
                                     active_directory_id="d-0123456789", security_group_ids=[GROUP.id], tags=TAGS,
                                     **multi_az(kind or "SINGLE_AZ_1"))


# In one Availability Zone: OpenZFS single-AZ, and its HA pair in one zone; ONTAP single-AZ; Windows File Server
# said outright, and left out (SINGLE_AZ_1).
openzfs("single-az-zfs", "SINGLE_AZ_2")
openzfs("ha-pair-zfs", "SINGLE_AZ_HA_2")
ontap("single-az-ontap", "SINGLE_AZ_2")
windows("single-az-windows", "SINGLE_AZ_2")
windows("default-windows")
# Multi-AZ: OpenZFS, ONTAP (first and second generation), Windows File Server.
openzfs("multi-az-zfs", "MULTI_AZ_1")
ontap("multi-az-ontap", "MULTI_AZ_1")
ontap("multi-az-2-ontap", "MULTI_AZ_2")
windows("multi-az-windows", "MULTI_AZ_1")
# Known only once the security group exists (MULTI_AZ_1 then): unknown in a first preview, which does not judge it.
openzfs("later-zfs", GROUP.id.apply(lambda _: "MULTI_AZ_1"))
