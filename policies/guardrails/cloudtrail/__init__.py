"""CloudTrail guardrails: a trail that covers every region, is encrypted and can prove its files intact."""

TRAIL = "aws:cloudtrail/trail:Trail"
