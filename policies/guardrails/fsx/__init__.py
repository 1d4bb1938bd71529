"""Amazon FSx guardrails: OpenZFS, NetApp ONTAP and Windows File Server file systems span Availability Zones."""

OPENZFS = "aws:fsx/openZfsFileSystem:OpenZfsFileSystem"
"""FSx for OpenZFS file systems (terraform-provider-aws `aws_fsx_openzfs_file_system`: `deployment_type` required,
ForceNew)."""

ONTAP = "aws:fsx/ontapFileSystem:OntapFileSystem"
"""FSx for NetApp ONTAP file systems (`aws_fsx_ontap_file_system`: `deployment_type` required, ForceNew)."""

WINDOWS = "aws:fsx/windowsFileSystem:WindowsFileSystem"
"""FSx for Windows File Server file systems (`aws_fsx_windows_file_system`: `deployment_type` ForceNew, SINGLE_AZ_1
when left out, as is CreateFileSystem's own default)."""
