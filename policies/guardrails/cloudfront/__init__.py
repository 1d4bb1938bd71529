"""CloudFront guardrails: a distribution speaks HTTPS to viewers and origins, with a current TLS policy, behind a web
ACL."""

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
