"""What a config value may be: the patterns and choices the readers check, and the AWS value sets they come from."""
from __future__ import annotations

import functools
import gzip
import importlib.util
import ipaddress
import json
import re
from pathlib import Path
from typing import Optional, Union

from ..workload import ENVOY_ADMIN_PORT, ENVOY_EGRESS_PORT, ENVOY_INGRESS_PORT, XRAY_PORT


_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$")
_VERSION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,15}$")
REGION_RE = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$")  # us-east-1, us-gov-west-1, eusc-de-east-1
# The one AWS partition the program's ARNs, service principals, endpoint names and managed policies are written for.
PARTITION = "aws"
_HTTPS_URL_RE = re.compile(r"^https://[^\s/]+\S*$")
# The id ACM and ACM Private CA give a certificate or CA in its ARN.
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# A host name in lower case: ACM keeps a certificate's names lower-cased (so a mixed-case name reads back as a
# change), and API Gateway's custom domain names must be lower case; one spelling keeps the certificates, the
# firewalls' domain lists and the names API Gateway sends alike.
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
HOST_WHAT = "a lower-case DNS host name"
# An image reference as ECS takes it (at most 255 ASCII characters), in the distribution project's grammar: an
# optional registry (a first part with a dot or a port, or localhost: any other first part with a dot, a colon or
# an upper-case letter is a registry Docker cannot parse), a lower-case repository path, a tag, a digest.
_IMAGE_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_IMAGE_PATH_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
# ECS takes an image reference of at most 255 characters (ContainerDefinition.image).
ECS_MAX_IMAGE_CHARS = 255
# ECS refuses a task definition above 64 KiB ("Max allowed length is '65536' bytes"; the ECS guide's quotas). The
# program imports nothing from tools/ (nor tools from it): a test holds apicheck's to this.
TASK_DEFINITION_BYTES = 65536
_IMAGE_RE = re.compile(
    rf"^(?=.{{1,{ECS_MAX_IMAGE_CHARS}}}$)"
    rf"(?:(?:{_IMAGE_LABEL}(?:\.{_IMAGE_LABEL})+|localhost)(?::\d+)?/|{_IMAGE_LABEL}:\d+/"
    rf"|(?![^/]*[.:A-Z][^/]*/)){_IMAGE_PATH_PART}(?:/{_IMAGE_PATH_PART})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?"
    r"(?:@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-f0-9]{32,})?$", re.ASCII)
_DOMAIN_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
API_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{1,62}[a-z0-9]$")
ENV_RE = re.compile(r"^[a-z][a-z0-9]{1,15}$")
# Environment names AWS refuses as the start of a name the program builds from them.
RESERVED_ENVIRONMENTS = {
    "aws": "KMS refuses aliases beginning alias/aws/ (the stack's are alias/<environment>/...)",
    "sthree": "S3 refuses bucket names beginning sthree- (the stack's buckets are named <environment>-...)",
    "sg": "EC2 refuses security group names beginning sg- (the stack's groups are named <environment>-...)",
    "internal": "ELB refuses load balancer names beginning internal- (the stack's are named <environment>-...)",
}
# API Gateway's Route 53 hosted zone for regional endpoints ("Amazon API Gateway endpoints and quotas",
# https://docs.aws.amazon.com/general/latest/gr/apigateway.html), where known: the zone an alias to a regional
# custom domain names. The offline preview's mocks give the same (a test holds tools/mockrun.py's to this).
APIGATEWAY_REGIONAL_ZONE_IDS = {
    "us-east-1": "Z1UJRXOUMOOFQ8", "us-east-2": "ZOJJZC49E0EPZ", "us-west-1": "Z2MUQ32089INYE",
    "us-west-2": "Z2OJLYMUO9EFXC", "ca-central-1": "Z19DQILCV0OWEC", "sa-east-1": "ZCMLWB8V5SYIT",
    "eu-west-1": "ZLY8HYME6SFDD", "eu-west-2": "ZJ5UAJN8Y3Z2Q", "eu-west-3": "Z3KY65QIEKYHQQ",
    "eu-central-1": "Z1U9ULNL0V5AJ3", "ap-south-1": "Z3VO1THU9YC4UR", "ap-northeast-1": "Z1YSHQZHG15GKL",
    "ap-northeast-2": "Z20JF4UZKIW1U8", "ap-northeast-3": "Z2YQB5RD63NC85", "ap-southeast-1": "ZL327KTPIQFUL",
    "ap-southeast-2": "Z2RPCDW04V8134",
}
# A Route 53 hosted zone id: a Z and 4 to 31 more (botocore's ResourceId: at most 32 characters; AWS's ids are
# about 14 or 21).
HOSTED_ZONE_ID_RE = re.compile(r"^Z[A-Z0-9]{4,31}$")
# Where runbooks are read: an https URL the runbook paths are appended to, so without a trailing slash. Every
# alarm's description ends in its runbook's link, and an EventBridge rule's may be 512 characters: a link of up
# to about 380 leaves a summary room before it.
RUNBOOK_URL_MAX = 300
RUNBOOK_URL_RE = re.compile(rf"^(?=.{{1,{RUNBOOK_URL_MAX}}}$)https://[^\s?#]+[^/\s?#]$")
RUNBOOK_URL_WHAT = f"an https:// URL of at most {RUNBOOK_URL_MAX} characters, without a trailing slash"
# A Secrets Manager secret's ARN (its name: letters, digits and /_+=.@-, and ! in the ones AWS services make) and an
# SSM parameter's, whole: ECS's `valueFrom` may add `:json-key:version-stage:version-id` to a secret's. Each is granted
# to IAM as written.
_SECRET = r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]{1,519}"  # 512 and -XXXXXX
SECRET_ARN_RE = re.compile(rf"^{_SECRET}$")
# A customer or AWS managed policy by its ARN (IAM's policy path, then a name of at most 128 letters, digits and
# _+=,.@-): a role's permissions boundary.
MANAGED_POLICY_ARN_RE = re.compile(
    r"^arn:aws[a-z-]*:iam::(?:[0-9]{12}|aws):policy/(?:[\x21-\x7e]{1,510}/)?[A-Za-z0-9_+=,.@-]{1,128}$")
MANAGED_POLICY_ARN_WHAT = "a managed policy ARN (arn:aws:iam::<account>:policy/<name>)"
# A KMS key by its key ARN: IAM does not match an alias ARN when a key is used.
KMS_KEY_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")
KMS_KEY_ARN_WHAT = ("a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; IAM does not match an alias ARN when a "
                    "key is used)")
SECRET_VALUE_FROM_RE = re.compile(rf"^{_SECRET}(:[^:]*){{0,3}}$"
                                  r"|^arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9_./-]{1,2048}$")
# Not empty (_matches refuses a line break in it), and at most the 255 characters App Mesh's HeaderMatch takes (ECS's
# test traffic rules document no limit; one stack file serves both planes across a switch).
_HEADER_VALUE_RE = re.compile(r"^.{1,255}$")
_IP_PREFERENCES = ("IPv4_ONLY", "IPv4_PREFERRED", "IPv6_ONLY", "IPv6_PREFERRED")
_PCA_SIGNING_ALGORITHMS = ("SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA", "SHA256WITHECDSA", "SHA384WITHECDSA",
                           "SHA512WITHECDSA")
# The ports the proxy and the sidecars listen on inside a task (components/workload.py): no app may.
_ENVOY_PORTS = (ENVOY_INGRESS_PORT, ENVOY_EGRESS_PORT, ENVOY_ADMIN_PORT)
# Envoy's are kept on both planes, so a stack can move between them; a plane adds its own (PlaneTraits).
SIDECAR_PORTS = {**{port: "the Envoy proxy" for port in _ENVOY_PORTS}, XRAY_PORT: "the X-Ray daemon"}
_QUOTA_PERIODS = ("DAY", "WEEK", "MONTH")
_APP_PROTOCOLS = ("http", "http2", "grpc")
_LOG_LEVELS = ("ERROR", "INFO", "OFF")
_AUTH_TYPES = ("cognito", "jwt", "iam")
# The verbs every public route proxies, one Method each (not ANY): usage-plan method throttles key on a
# real method ("/orders/{proxy+}/POST"), and verbs outside this list are refused at the edge.
API_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# A method throttle names one of those verbs, or "*" for all of them.
_HTTP_METHODS = API_METHODS + ("*",)
# The REST resource under a public prefix that takes every deeper path.
PROXY_PART = "{proxy+}"


def route_resource_paths(public_path: str) -> tuple[str, str]:
    """The REST API resources one public prefix gets (components/api.py): the prefix, under the API's root, and its
    `{proxy+}` child. A publicPath is one segment, so prefixes share no parent but the root."""
    return public_path, f"{public_path}/{PROXY_PART}"


# CloudWatch Logs accepts only these retention values.
_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                   2922, 3288, 3653)
# Fargate CPU units and the memory (MiB) each one accepts: the ECS task-size table (RegisterTaskDefinition).
FARGATE_MEMORY = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
    8192: tuple(range(16384, 61441, 4096)),
    16384: tuple(range(32768, 122881, 8192)),
}

# ACM's RequestCertificate: a domain name (the certificate's common name) of at most 64 characters.
ACM_MAX_DOMAIN_NAME = 64


def certificate_name_problem(host: str, certificate_arn: Optional[str] = None) -> Optional[str]:
    """Why ACM would refuse the certificate a stack requests for `host` (none when a certificateArn is given)."""
    if certificate_arn is None and len(host) > ACM_MAX_DOMAIN_NAME:
        return (f"{host} is {len(host)} characters; the certificate the stack requests for it names it, and ACM "
                f"takes at most {ACM_MAX_DOMAIN_NAME}")
    return None


def _botocore_data() -> Path:
    # botocore's own data (pinned in requirements.txt), read without importing botocore (0.1 s).
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("botocore (requirements.txt) is not installed: the program reads AWS's partitions and "
                          "API models from it")
    return Path(spec.submodule_search_locations[0]) / "data"


@functools.lru_cache(maxsize=None)
def _partitions() -> tuple[dict, ...]:
    return tuple(json.loads((_botocore_data() / "partitions.json").read_text())["partitions"])


@functools.lru_cache(maxsize=None)
def route53_region_enum(shape: str) -> frozenset[str]:
    """The regions a Route 53 API shape takes (`ResourceRecordSetRegion`: a latency record's; `CloudWatchRegion`: a
    health check's alarm's), in botocore's route53 model. A region AWS lists may be missing from them (a new one
    Route 53 does not serve yet), and Route 53 refuses it there."""
    model = max((_botocore_data() / "route53").glob("*/service-2.json*"))
    text = gzip.decompress(model.read_bytes()) if model.suffix == ".gz" else model.read_bytes()
    return frozenset(json.loads(text)["shapes"][shape]["enum"])


def partition_of(region: str) -> str:
    """The AWS partition a region name is in, as botocore's endpoint rules find it (`aws_partition`): the first
    partition that lists the region or whose pattern it matches; the aws partition if none does."""
    partitions = _partitions()
    for partition in partitions:
        if region in partition["regions"] or re.match(partition["regionRegex"], region):
            return partition["id"]
    return partitions[0]["id"]


def partition_problem(region: str) -> Optional[str]:
    """Why the program cannot run in this region, or None: a region AWS does not list (a misspelling fails at
    the first call to its endpoints, as the provider skips its own check of the name by default); or another
    partition's, where it writes the aws partition's ARNs (`arn:aws:`), service principals and endpoint names,
    which that partition's APIs refuse or never match."""
    if not any(region in partition["regions"] for partition in _partitions()):
        return (f"{region} is not a region in AWS's partition data (botocore's, as requirements.txt pins it): "
                f"misspelt, or newer than that botocore, which a newer pin would list")
    partition = partition_of(region)
    if partition == PARTITION:
        return None
    return (f"{region} is in AWS's {partition} partition; the program writes the {PARTITION} partition's ARNs, "
            f"service principals and endpoint names (its commercial regions, like us-east-1), which "
            f"{partition}'s APIs refuse")


_GRANTED = "IAM refuses another partition's ARN in the policy that grants it (MalformedPolicyDocument)"


def other_partition_problem(arn: str, refusal: Optional[str] = None) -> Optional[str]:
    """Why an ARN the program hands IAM cannot be another partition's (config admits only the aws partition's
    regions); None for an `arn:aws:` one. By default the ARN is granted in a policy, which IAM refuses: `Partition
    "aws-us-gov" is not valid for resource ...`; `refusal` says what refuses it elsewhere. Partitions share no
    resources anyway."""
    partition = arn.split(":", 2)[1] if arn.count(":") >= 2 else PARTITION
    if partition == PARTITION:
        return None
    return (f"is in the {partition} partition, and the stack's is {PARTITION}: {refusal or _GRANTED}; use the "
            f"{PARTITION} partition's")


def cidr_block(text: str) -> Optional[Union[ipaddress.IPv4Network, ipaddress.IPv6Network]]:
    """A CIDR block as AWS's APIs take it, `a.b.c.d/n` written as Python writes it back (not a netmask, a padded
    prefix, a bare address or host bits set, which Python reads and EC2 and WAF refuse); None otherwise."""
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError:
        return None
    return network if str(network) == text else None
