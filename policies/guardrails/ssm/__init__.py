"""AWS Systems Manager guardrails: no SSM document the stack makes is shared with every AWS account."""

DOCUMENT = "aws:ssm/document:Document"
