"""The mesh's certificate material: a CA and one certificate per workload identity, in Secrets Manager.

App Mesh on Fargate can only read mTLS material from files (SDS needs SPIRE, which ECS lacks), so each
identity's chain, key and CA bundle go into one Secrets Manager secret (JSON keys `cert_chain`, `key`,
`ca_bundle`); the ECS layer injects it into a cert-init container that writes `TLS_FILES` for Envoy.

Identities are per service (every version of a service shares its certificate: clients validate the
virtual service name, not the version) plus one for the ingress gateway. Each certificate's only SAN is
the identity's DNS name, e.g. `user-service.dev.ecommerce.local`, which is what peers match.

The ingress gateway's listener also requires a client certificate, and its only client is API
Gateway (through the NLB's TCP pass-through), which can present only a certificate it generated itself.
So this component also creates that `aws.apigateway.ClientCertificate` (the public API's identity toward
the mesh; the API stage must use it) and appends it to the gateway identity's CA bundle.

Two issuers:
  * default: a pulumi-tls CA (self-signed, ECDSA P-256) signs each CSR (`LocallySignedCert`);
  * `mesh.tls.privateCaArn` set: an existing ACM Private CA signs each CSR (`aws.acmpca.Certificate`).

Private keys exist only as secret Outputs (pulumi-tls marks them secret) and inside the secret's
value; nothing here exports them. Renewal: `LocallySignedCert` (and the CA) are re-issued by the first
`pulumi up` inside their early-renewal window, which writes a new secret version; see docs/mesh.md for
how that reaches running tasks.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

import pulumi
import pulumi_aws as aws
import pulumi_tls as tls

from . import naming
from .config import TlsConfig
from .workload import TLS_FILES, WorkloadCertificate

# The CA outlives many leaf certificates: a CA rollover re-issues every leaf and needs every task
# redeployed (see docs/mesh.md), so it should happen rarely and on purpose.
CA_VALIDITY_HOURS = 10 * 8760
CA_EARLY_RENEWAL_HOURS = 8760
ORGANIZATION = "service-mesh-platform"
# RFC 5280's upper bound on a certificate's common name (ub-common-name).
X509_MAX_COMMON_NAME = 64

# Envoy needs one certificate for both directions: it serves it on the listener and presents it as a client.
LEAF_USES = ["digital_signature", "key_encipherment", "server_auth", "client_auth"]
CA_USES = ["cert_signing", "crl_signing", "digital_signature"]


@dataclass(frozen=True)
class WorkloadIdentity:
    # One secret per identity, e.g. "user-service" or "ingress-gateway".
    name: str
    # The certificate's SAN and CN, e.g. "user-service.dev.ecommerce.local".
    dns_name: str
    # The ingress gateway: its bundle also trusts API Gateway's client certificate, its only client.
    trusts_api_gateway: bool = False

    @property
    def common_name(self) -> str:
        """The DNS name where X.509 allows it (RFC 5280: at most 64 characters, which ACM Private CA holds a CSR
        to), else the identity's name: App Mesh matches the SAN, which always carries the DNS name."""
        return self.dns_name if len(self.dns_name) <= X509_MAX_COMMON_NAME else self.name


@dataclass(frozen=True)
class MeshCertificatesArgs:
    environment: str
    identities: Sequence[WorkloadIdentity]
    tls: TlsConfig
    protect: bool


class MeshCertificates(pulumi.ComponentResource):
    # Per identity name: the secret (and in-container file paths) the ECS layer injects.
    certificates: Mapping[str, WorkloadCertificate]
    # The mesh CA's certificate (public): what every node listener and client policy trusts (the gateway's
    # bundle adds API Gateway's client certificate).
    ca_bundle: pulumi.Output[str]
    # The certificate API Gateway presents to the ingress gateway (set it on the API stage); None when no
    # identity trusts API Gateway.
    api_client_certificate_id: Optional[pulumi.Output[str]]

    def __init__(self, name: str, args: MeshCertificatesArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__("service-mesh-platform:certificates:MeshCertificates", name, None, opts)
        self._name = name
        self._args = args
        # Identity material: deleting it by accident breaks every running task's mTLS.
        self._protected = pulumi.ResourceOptions(parent=self, protect=args.protect)

        if args.tls.private_ca_arn:
            self._ca_key = None
            self._ca_cert = None
        else:
            self._ca_key, self._ca_cert = self._mesh_ca()

        self.api_client_certificate_id = None
        api_client_pem: Optional[pulumi.Output[str]] = None
        if any(identity.trusts_api_gateway for identity in args.identities):
            # API Gateway generates the key pair and keeps the private key; only the PEM is readable.
            api_client = aws.apigateway.ClientCertificate(
                f"{name}-api-client",
                description=f"{args.environment} public API: its identity toward the mesh ingress gateway",
                opts=self._protected,
            )
            self.api_client_certificate_id = api_client.id
            api_client_pem = api_client.pem_encoded_certificate

        certificates: dict[str, WorkloadCertificate] = {}
        bundles: list[pulumi.Output[str]] = []
        for identity in args.identities:
            key = tls.PrivateKey(f"{name}-{identity.name}-key", algorithm="ECDSA", ecdsa_curve="P256",
                                 opts=self._protected)
            csr = tls.CertRequest(
                f"{name}-{identity.name}-csr",
                private_key_pem=key.private_key_pem,
                dns_names=[identity.dns_name],
                subject=tls.CertRequestSubjectArgs(common_name=identity.common_name, organization=ORGANIZATION),
                opts=pulumi.ResourceOptions(parent=self),
            )
            cert_chain, ca_bundle = self._issue(identity, csr)
            bundles.append(ca_bundle)
            if identity.trusts_api_gateway:
                ca_bundle = _pem_bundle(ca_bundle, api_client_pem)
            secret = aws.secretsmanager.Secret(
                f"{name}-{identity.name}",
                name=naming.mesh_tls_secret_name(args.environment, identity.name),
                description=f"mTLS certificate chain, private key and mesh CA bundle for {identity.dns_name}",
                # Protected stacks keep a deleted secret recoverable; others free the name at once.
                recovery_window_in_days=30 if args.protect else 0,
                opts=self._protected,
            )
            version = aws.secretsmanager.SecretVersion(
                f"{name}-{identity.name}",
                secret_id=secret.id,
                secret_string=pulumi.Output.secret(
                    pulumi.Output.all(cert_chain, key.private_key_pem, ca_bundle).apply(
                        lambda parts: json.dumps({"cert_chain": parts[0], "key": parts[1], "ca_bundle": parts[2]}))),
                opts=pulumi.ResourceOptions(parent=self),
            )
            certificates[identity.name] = WorkloadCertificate(secret_arn=secret.arn, files=TLS_FILES,
                                                              version_id=version.version_id)

        self.certificates = certificates
        self.ca_bundle = bundles[0] if bundles else pulumi.Output.from_input("")
        self.register_outputs({
            "secretArns": {k: v.secret_arn for k, v in certificates.items()},
            "caBundle": self.ca_bundle,
        })

    def _mesh_ca(self) -> tuple[tls.PrivateKey, tls.SelfSignedCert]:
        env = self._args.environment
        ca_key = tls.PrivateKey(f"{self._name}-ca-key", algorithm="ECDSA", ecdsa_curve="P256", opts=self._protected)
        ca_cert = tls.SelfSignedCert(
            f"{self._name}-ca",
            private_key_pem=ca_key.private_key_pem,
            is_ca_certificate=True,
            # Meant as "leaf certificates only", but the TLS provider writes 0 as no path length limit (it never
            # sets Go's MaxPathLenZero): not a constraint. Kept, as a change replaces the CA and every certificate.
            max_path_length=0,
            set_subject_key_id=True,
            subject=tls.SelfSignedCertSubjectArgs(common_name=f"{env} mesh CA", organization=ORGANIZATION),
            validity_period_hours=CA_VALIDITY_HOURS,
            early_renewal_hours=CA_EARLY_RENEWAL_HOURS,
            allowed_uses=CA_USES,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return ca_key, ca_cert

    def _issue(self, identity: WorkloadIdentity, csr: tls.CertRequest) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
        """Sign the CSR; returns (certificate chain for Envoy, CA bundle peers are validated against)."""
        settings = self._args.tls
        if settings.private_ca_arn:
            issued = aws.acmpca.Certificate(
                f"{self._name}-{identity.name}-cert",
                certificate_authority_arn=settings.private_ca_arn,
                certificate_signing_request=csr.cert_request_pem,
                signing_algorithm=settings.private_ca_signing_algorithm,
                # ACM PCA counts validity in days at the finest.
                validity=aws.acmpca.CertificateValidityArgs(
                    type="DAYS", value=str(math.ceil(settings.certificate_validity_hours / 24))),
                opts=pulumi.ResourceOptions(parent=self),
            )
            chain = pulumi.Output.concat(issued.certificate, "\n", issued.certificate_chain)
            return chain, issued.certificate_chain

        signed = tls.LocallySignedCert(
            f"{self._name}-{identity.name}-cert",
            cert_request_pem=csr.cert_request_pem,
            ca_private_key_pem=self._ca_key.private_key_pem,
            ca_cert_pem=self._ca_cert.cert_pem,
            validity_period_hours=settings.certificate_validity_hours,
            early_renewal_hours=settings.early_renewal_hours,
            allowed_uses=LEAF_USES,
            set_subject_key_id=True,
            opts=pulumi.ResourceOptions(parent=self),
        )
        # The chain ends at the root, so a peer (or API Gateway) sees the full path.
        return pulumi.Output.concat(signed.cert_pem, self._ca_cert.cert_pem), self._ca_cert.cert_pem


def _pem_bundle(*pems: Optional[pulumi.Input[str]]) -> pulumi.Output[str]:
    """Concatenate PEM blocks, one per line run, whatever trailing newlines each source has."""
    return pulumi.Output.all(*pems).apply(lambda parts: "".join(p.strip() + "\n" for p in parts if p))
