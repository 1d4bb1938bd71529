"""Network Firewall logging: a record of what each firewall alerted on or passed, for incident response."""
from __future__ import annotations

from pulumi_policy import Severity

from ..core.companions import companion_policy
from . import FIREWALL, LOGGING_CONFIGURATION

companion_policy(
    "networkfirewall-firewall-logging", FIREWALL, (LOGGING_CONFIGURATION,), "firewallArn", ("arn",),
    lambda firewall: (f"firewall {firewall.name} has no LoggingConfiguration: nothing records what its rules "
                      "alerted on, dropped or passed; add an aws.networkfirewall.LoggingConfiguration with "
                      "firewallArn set to it and ALERT (and FLOW) logs to CloudWatch Logs, S3 or Firehose"),
    description="Network Firewall firewalls must log: the rule groups drop and alert in silence otherwise, and "
                "nothing records which host a workload tried to reach.",
    severity=Severity.MEDIUM,
    anchors=("Security Hub NetworkFirewall.2", "Config netfw-logging-enabled"),
    anchor_note="the control and the rule's default take any log type (ALERT, FLOW or TLS)",
    checks="""
    an `aws:networkfirewall/loggingConfiguration:LoggingConfiguration` whose `firewallArn` names the firewall
    (Network Firewall logs nothing unless asked, and AWS takes a configuration only with at least one log
    destination, of any type); one whose `firewallArn` is unknown and might name it counts""",
)
