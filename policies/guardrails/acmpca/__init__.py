"""AWS Private CA guardrails (the certificate authorities Service Connect TLS uses)."""

CERTIFICATE_AUTHORITY = "aws:acmpca/certificateAuthority:CertificateAuthority"
