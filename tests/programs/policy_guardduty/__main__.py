"""Raw GuardDuty detectors: a suspended one, and ones running (said outright, left to the provider's default, and
one whose setting another resource gives, known only after the update)."""
import pulumi_aws as aws

TAGS = {"Project": "policy-tests", "Environment": "test", "Owner": "platform-team"}


def detector(name, **args):
    return aws.guardduty.Detector(name, finding_publishing_frequency="FIFTEEN_MINUTES", tags=TAGS, **args)


DETECTOR = detector("detector", enable=True)
detector("suspended-detector", enable=False)
detector("default-detector")
# Known only once the first detector exists (true then): unknown in a first preview, which does not judge it.
detector("later-detector", enable=DETECTOR.id.apply(lambda _: True))
