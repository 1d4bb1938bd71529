"""Amazon Inspector guardrails: an enabler does not turn off a scan type Security Hub asks for."""

ENABLER = "aws:inspector2/enabler:Enabler"
"""Amazon Inspector scan types for one or more accounts (terraform-provider-aws `aws_inspector2_enabler` calls Enable
with its `resourceTypes` and Disable with every other scan type: on create for those enabled, on an update of the list
for all; deleting it disables every type)."""
