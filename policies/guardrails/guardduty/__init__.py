"""Amazon GuardDuty guardrails: a stack does not suspend a detector, nor turn off a protection plan or agent
management that Security Hub asks for. What a stack leaves out is not judged: an account may turn them on elsewhere
(the delegated administrator, the organization's auto-enable)."""

DETECTOR = "aws:guardduty/detector:Detector"
"""A Region's GuardDuty detector (terraform-provider-aws `aws_guardduty_detector` sends `enable`, true when left out,
in every CreateDetector and UpdateDetector, and the deprecated `datasources` as DataSources when set)."""

DETECTOR_FEATURE = "aws:guardduty/detectorFeature:DetectorFeature"
"""One protection plan of a detector (`aws_guardduty_detector_feature` sends its `name`, `status` and
`additionalConfigurations` with UpdateDetector; deleting it changes nothing)."""

MEMBER_DETECTOR_FEATURE = "aws:guardduty/memberDetectorFeature:MemberDetectorFeature"
"""One protection plan of a member account's detector, as its administrator sets it (UpdateMemberDetectors)."""
