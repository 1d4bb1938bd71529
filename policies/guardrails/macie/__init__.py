"""Amazon Macie guardrails: a stack does not pause Macie."""

ACCOUNT = "aws:macie2/account:Account"
"""The account's Macie session in a Region (terraform-provider-aws `aws_macie2_account` sends `status` to EnableMacie
when set, and to UpdateMacieSession when it changes; left out, EnableMacie "Enables Amazon Macie")."""
