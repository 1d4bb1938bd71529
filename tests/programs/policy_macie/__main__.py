"""Raw Amazon Macie accounts: a paused one, and ones enabled (said outright, left to the API's default, and one whose
status another resource gives, known only after the update)."""
import pulumi_aws as aws

aws.macie2.Account("paused", status="PAUSED")
enabled = aws.macie2.Account("enabled", status="ENABLED", finding_publishing_frequency="FIFTEEN_MINUTES")
aws.macie2.Account("default")
# Known only once the first account exists (ENABLED then): unknown in a first preview, which does not judge it.
aws.macie2.Account("later", status=enabled.id.apply(lambda _: "ENABLED"))
