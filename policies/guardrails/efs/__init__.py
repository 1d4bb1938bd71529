"""EFS guardrails: a file system is encrypted and backed up, and its policy does not let everyone in; an access point
confines its clients to a directory and an identity; a mount target sits in a private subnet."""

FILE_SYSTEM = "aws:efs/fileSystem:FileSystem"
ACCESS_POINT = "aws:efs/accessPoint:AccessPoint"
MOUNT_TARGET = "aws:efs/mountTarget:MountTarget"
BACKUP_POLICY = "aws:efs/backupPolicy:BackupPolicy"
FILE_SYSTEM_POLICY = "aws:efs/fileSystemPolicy:FileSystemPolicy"
BACKUP_SELECTION = "aws:backup/selection:Selection"
