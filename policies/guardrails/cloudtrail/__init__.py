"""CloudTrail guardrails: a trail that covers every region, is encrypted and can prove its files intact; CloudTrail
Lake event data stores under a key of the account's own."""

TRAIL = "aws:cloudtrail/trail:Trail"
EVENT_DATA_STORE = "aws:cloudtrail/eventDataStore:EventDataStore"
