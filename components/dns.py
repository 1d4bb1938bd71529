"""The public DNS zone the stack may write to (`dns` in the stack file), and the certificates it issues there.

With a zone, the stack issues each ACM certificate it needs (the ingress ALB's name, the API's custom
domain) with DNS validation and points those names at their endpoints with alias records, as the reference
solution does. Without one, certificates come from the stack file and the DNS targets are exported for
whoever runs the zone (`certificate_arn` below decides; config has already rejected a name with neither).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pulumi
import pulumi_aws as aws

from .config import (DnsConfig, DomainConfig, PlatformConfig, WebsocketDomainConfig, fail_in, in_zone,
                     not_in_zone, zone_hosts)

VALIDATION_TTL = 300


def check_zone_by_id(config: PlatformConfig, parent: pulumi.Resource) -> None:
    """A zone given by id (dns.hostedZoneId): public, and its name, asked of Route 53 before any resource is
    declared, must hold every name the stack writes records for, as config checks a zone given by name. Route 53
    refuses a record outside the zone, so a name outside it would otherwise pass the preview and stop `up` after the
    certificate's request, with the stack half-built."""
    dns = config.dns
    if dns is None or dns.hosted_zone_id is None:
        return
    found = aws.route53.get_zone(zone_id=dns.hosted_zone_id, opts=pulumi.InvokeOptions(parent=parent))
    if found.private_zone:
        # As a zone given by name is looked up among public zones only (`DnsZone`).
        raise fail_in(config.stack_file)(
            "dns.hostedZoneId", f"{dns.hosted_zone_id} is a private hosted zone: ACM validates certificates through "
            "public DNS only, and the stack's names must resolve from the internet; give a public zone")
    zone = found.name.rstrip(".").lower()  # as Route 53 may write it: fully qualified
    for key, host in zone_hosts(config):
        if not in_zone(host, zone):
            raise fail_in(config.stack_file)(
                key, not_in_zone(host, zone, f"dns.hostedZoneId {dns.hosted_zone_id}"), related=["dns.hostedZoneId"])


@dataclass(frozen=True)
class DnsZoneArgs:
    dns: DnsConfig


class DnsZone(pulumi.ComponentResource):
    """`certificate()` issues a validated certificate for a name; `alias()` points a name at an endpoint."""

    zone_id: pulumi.Output[str]

    def __init__(self, name: str, args: DnsZoneArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:dns:DnsZone", name, None, opts)
        self._name = name
        dns = args.dns
        if dns.hosted_zone_id is not None:
            self.zone_id = pulumi.Output.from_input(dns.hosted_zone_id)
        else:
            # A public zone: ACM validates against public DNS, and API Gateway resolves nothing in it.
            self.zone_id = aws.route53.get_zone_output(
                name=dns.zone_name, private_zone=False, opts=pulumi.InvokeOutputOptions(parent=self)).zone_id
        self.register_outputs({"zoneId": self.zone_id})

    def certificate(self, label: str, domain_name: str) -> pulumi.Output[str]:
        """A public ACM certificate for `domain_name`, validated through a record in this zone. The ARN comes
        from the validation, so whatever uses it waits until ACM has issued the certificate."""
        child = pulumi.ResourceOptions(parent=self)
        # No `options`: ACM logs every public certificate in Certificate Transparency logs, and its API deprecated
        # the opt-out setting on 12 June 2026 (botocore's acm model), so a block sending it only risks a diff on
        # read-back.
        certificate = aws.acm.Certificate(
            f"{self._name}-{label}", domain_name=domain_name, validation_method="DNS", opts=child)
        # One name, so one validation option; ACM renews as long as the record stays.
        option = certificate.domain_validation_options[0]
        record = aws.route53.Record(
            f"{self._name}-{label}-validation", zone_id=self.zone_id, name=option.resource_record_name,
            type=option.resource_record_type, records=[option.resource_record_value], ttl=VALIDATION_TTL,
            allow_overwrite=True, opts=child)
        validation = aws.acm.CertificateValidation(
            f"{self._name}-{label}", certificate_arn=certificate.arn, validation_record_fqdns=[record.fqdn],
            opts=child)
        return validation.certificate_arn

    def alias(self, label: str, name: str, target_dns_name: pulumi.Input[str],
              target_zone_id: pulumi.Input[str]) -> aws.route53.Record:
        return aws.route53.Record(
            f"{self._name}-{label}-alias", zone_id=self.zone_id, name=name, type="A",
            aliases=[aws.route53.RecordAliasArgs(name=target_dns_name, zone_id=target_zone_id,
                                                 evaluate_target_health=False)],
            opts=pulumi.ResourceOptions(parent=self))


def certificate_arn(label: str, host_name: str, configured: Optional[str],
                    zone: Optional[DnsZone]) -> pulumi.Input[str]:
    """The certificate for `host_name`: the stack file's ARN when it names one, else one issued in the zone."""
    if configured is not None:
        return configured
    if zone is None:  # config validation makes this unreachable; fail loudly rather than half-build
        raise ValueError(f"{host_name}: no certificate ARN and no DNS zone")
    return zone.certificate(label, host_name)


def domain_certificate_arn(label: str, domain: Optional[DomainConfig | WebsocketDomainConfig],
                           zone: Optional[DnsZone]) -> Optional[pulumi.Input[str]]:
    """An API's custom domain's certificate (`certificate_arn`), or None when the API has no domain."""
    return None if domain is None else certificate_arn(label, domain.name, domain.certificate_arn, zone)


def check_domain_certificate(domain: Optional[DomainConfig | WebsocketDomainConfig],
                             certificate: Optional[pulumi.Input[str]]) -> None:
    """An API component's custom domain and its certificate come together (`domain_certificate_arn` gives them so):
    AWS refuses a domain name without a certificate, and a certificate without a domain means a caller mixed them up.
    Config validation makes both unreachable from a stack file."""
    if domain is not None and certificate is None:
        raise ValueError(f"{domain.name}: a custom domain needs its certificate (dns.domain_certificate_arn)")
    if domain is None and certificate is not None:
        raise ValueError("a certificate was given for an API without a custom domain")
