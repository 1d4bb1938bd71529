"""Amazon WorkSpaces guardrails: a WorkSpace encrypts its user and root volumes."""

WORKSPACE = "aws:workspaces/workspace:Workspace"
"""WorkSpaces Personal desktops (terraform-provider-aws `aws_workspaces_workspace` sends UserVolumeEncryptionEnabled
and RootVolumeEncryptionEnabled in every CreateWorkspaces call, false when left out; both ForceNew, as WorkSpaces
encrypts a volume only when it launches the WorkSpace and cannot decrypt one)."""
