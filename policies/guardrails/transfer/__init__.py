"""AWS Transfer Family guardrails: servers take no plain FTP, and connectors log to CloudWatch."""

SERVER = "aws:transfer/server:Server"
"""Transfer Family servers (terraform-provider-aws `aws_transfer_server`: `protocols` optional, CreateServer's default
then SFTP; FTP, FTPS and AS2 need a VPC endpoint)."""

CONNECTOR = "aws:transfer/connector:Connector"
"""Transfer Family AS2 and SFTP connectors, which send files to a partner's server (`logging_role` optional)."""
