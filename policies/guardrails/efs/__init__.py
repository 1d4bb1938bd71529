"""EFS guardrails: a file system is encrypted and backed up, and an access point confines its clients to a
directory and an identity."""

FILE_SYSTEM = "aws:efs/fileSystem:FileSystem"
ACCESS_POINT = "aws:efs/accessPoint:AccessPoint"
BACKUP_POLICY = "aws:efs/backupPolicy:BackupPolicy"
BACKUP_SELECTION = "aws:backup/selection:Selection"
