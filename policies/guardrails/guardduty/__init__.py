"""Amazon GuardDuty guardrails: a stack does not suspend a detector. What a stack leaves out is not judged: an
account may turn GuardDuty on elsewhere (the delegated administrator, the organization's auto-enable)."""

DETECTOR = "aws:guardduty/detector:Detector"
"""A Region's GuardDuty detector (terraform-provider-aws `aws_guardduty_detector` sends `enable`, true when left out,
in every CreateDetector and UpdateDetector)."""
