"""App Runner guardrails: what a service hands its instances."""

SERVICE = "aws:apprunner/service:Service"
