"""Raw VPNs: Client VPN endpoints, one that logs no client connection and ones that do (to a log group of the stack,
and one whose setting another resource gives, known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}

LOGS = aws.cloudwatch.LogGroup("vpn-logs", name="/vpn/clients", retention_in_days=365, tags=TAGS,
                              kms_key_id="arn:aws:kms:us-east-1:123456789012:key/vpn-logs")


def client_vpn(name, connection_log_options):
    return aws.ec2clientvpn.Endpoint(
        name, description=name, client_cidr_block="10.100.0.0/22", tags=TAGS,
        server_certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-vpn-server",
        authentication_options=[{"type": "certificate-authentication",
                                 "root_certificate_chain_arn": "arn:aws:acm:us-east-1:123456789012:certificate/"
                                                               "0a1b2c3d-vpn-clients"}],
        connection_log_options=connection_log_options)


client_vpn("unlogged-clients", {"enabled": False})
client_vpn("logged-clients", {"enabled": True, "cloudwatch_log_group": LOGS.name})
client_vpn("later-logged-clients", {"enabled": LOGS.arn.apply(lambda _: True), "cloudwatch_log_group": LOGS.name})
