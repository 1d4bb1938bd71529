"""Raw Transfer Family servers: ones that take plain FTP (alone, beside FTPS), and ones that do not (SFTP and FTPS
said outright, left to CreateServer's default of SFTP, one protocol known only after the update); SFTP connectors
without a logging role and with one (said outright, known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}
GROUP = aws.ec2.SecurityGroup("transfer-clients", description="Clients of the servers", vpc_id="vpc-0a1b2c3d4e5f60001",
                              tags=TAGS)
# FTP and FTPS need a VPC endpoint and an identity provider other than the service's own.
IN_VPC = {"endpoint_type": "VPC", "identity_provider_type": "AWS_LAMBDA",
          "function": "arn:aws:lambda:us-east-1:123456789012:function:transfer-idp",
          "endpoint_details": {"vpc_id": "vpc-0a1b2c3d4e5f60001", "subnet_ids": ["subnet-0a1b2c3d4e5f60001"],
                               "security_group_ids": [GROUP.id]}}
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-0000-0000-000000000001"


def server(name, **args):
    return aws.transfer.Server(name, tags=TAGS, **args)


server("ftp-server", protocols=["FTP"], **IN_VPC)
server("mixed-server", protocols=["FTPS", "FTP"], certificate=CERT, **IN_VPC)
server("sftp-server", protocols=["SFTP"])
server("default-server")
server("ftps-server", protocols=["FTPS"], certificate=CERT, **IN_VPC)
# Known only once the security group exists (SFTP then): unknown in a first preview, which does not judge it.
server("later-server", protocols=[GROUP.id.apply(lambda _: "SFTP")])

ROLE = "arn:aws:iam::123456789012:role/transfer-connector"
SFTP = {"user_secret_id": "arn:aws:secretsmanager:us-east-1:123456789012:secret:partner-sftp-AbCdEf",
        "trusted_host_keys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly0000000000000000000000"]}


def connector(name, **args):
    return aws.transfer.Connector(name, url="sftp://partner.example.com", access_role=ROLE, sftp_config=SFTP,
                                  tags=TAGS, **args)


connector("silent-connector")
connector("logged-connector", logging_role=ROLE)
LOGS = aws.iam.Role("connector-logs", assume_role_policy=GROUP.id.apply(lambda _: "{}"), tags=TAGS)
connector("later-logged-connector", logging_role=LOGS.arn)
