"""Raw VPNs: Client VPN endpoints, one that logs no client connection and ones that do (to a log group of the stack,
and one whose setting another resource gives, known only after the update); Site-to-Site VPN connections, ones that
log neither tunnel (options left out) or one tunnel only (the other's logging said off), and ones that log both
(by a log group of the stack, one known only after the update)."""
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


CUSTOMER_GATEWAY = aws.ec2.CustomerGateway("branch-office", bgp_asn="65000", ip_address="203.0.113.10", type="ipsec.1",
                                           tags=TAGS)


def tunnel_logs(enabled):
    return {"cloudwatch_log_options": {"log_enabled": enabled, "log_group_arn": LOGS.arn}}


def vpn_connection(name, **log_options):
    return aws.ec2.VpnConnection(name, customer_gateway_id=CUSTOMER_GATEWAY.id, vpn_gateway_id="vgw-0a1b2c3d4e5f60001",
                                 type="ipsec.1", static_routes_only=True, tags=TAGS, **log_options)


vpn_connection("unlogged-tunnels")
vpn_connection("one-logged-tunnel", tunnel1_log_options=tunnel_logs(True), tunnel2_log_options=tunnel_logs(False))
vpn_connection("logged-tunnels", tunnel1_log_options=tunnel_logs(True), tunnel2_log_options=tunnel_logs(True))
vpn_connection("later-logged-tunnels", tunnel1_log_options=tunnel_logs(LOGS.arn.apply(lambda _: True)),
               tunnel2_log_options=tunnel_logs(True))
