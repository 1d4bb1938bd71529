"""Answers to provider functions (invokes) that the offline preview can give without the cloud.

An invoke is answered only where its result follows from its arguments, the stack's config or the mocks' own
fixed account and region; any other fails the preview with one line naming it (`unanswered`), rather than
giving the program an empty result that fails later, far from the cause, or runs on made-up data.

- fixed answers for the account and region: caller identity, region, partition, availability zones, the ELB
  service account, a hosted zone by name (the preview's own stand-ins); a hosted zone by id, named as the stack
  files name it (`ZONE_NAMES`), else a stand-in in example.com;
- `aws:iam/getPolicyDocument`, which the AWS provider computes itself from its arguments: built here as the
  provider builds it, so a role's trust or inline policy written with `get_policy_document` reaches the
  policies as the document a real preview would send;
- `aws:index/getDefaultTags`: the provider's `defaultTags` (the explicit provider's inputs, else the stack's
  `aws:defaultTags`), as the provider reads them;
- `aws:iam/getRole` and `aws:ecr/getRepository` by name: only what the name and the account and region give
  (ARN, id, name, a repository's URL and registry); the rest of the existing role or repository (its trust
  policy, its settings) is not known, and left out.
"""
from __future__ import annotations

import contextvars
import functools
import importlib.util
import json
import re
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from . import awsprovider

ACCOUNT_ID = "123456789012"
# The account of the run in progress (`stack_account`), which the mocks' answers put in ARNs and caller identity: set
# around each of them (`PreviewMocks`), since the SDK may make them on its executor's threads.
ACCOUNT: contextvars.ContextVar[str] = contextvars.ContextVar("preview_account", default=ACCOUNT_ID)
_ACCOUNT_RE = re.compile(r"^[0-9]{12}$")


def account_id() -> str:
    return ACCOUNT.get()


def pinned_account(provider: Optional[Mapping[str, Any]], config: Mapping[str, str]) -> Optional[str]:
    """The first of a provider's `allowedAccountIds` (an explicit provider's inputs, else the stack's
    `aws:allowedAccountIds`), the only accounts it will work in, so a key policy or an ARN the program writes with
    that account matches the made-up ones; None where it pins none, or the setting is unknown. An id written unquoted
    in YAML is a number, its leading zeros lost: the provider reads it as the text of that number, and so does this."""
    try:
        allowed = awsprovider.provider_setting(provider, config, "allowedAccountIds")
    except awsprovider.Unknown:
        return None
    first = allowed[0] if isinstance(allowed, list) and allowed else None
    first = str(first) if isinstance(first, int) and not isinstance(first, bool) else first
    return first if isinstance(first, str) and _ACCOUNT_RE.match(first) else None


def stack_account(config: Mapping[str, str]) -> str:
    """The account a stack's previews stand in: the one its default provider pins, else ACCOUNT_ID."""
    return pinned_account(None, config) or ACCOUNT_ID
# The Elastic Load Balancing account of each region that has one (AWS: the regions opened before August 2022),
# as pulumi-aws's elb.getServiceAccount holds them; it refuses any other region
# (terraform-provider-aws internal/service/elb/service_account_data_source.go).
ELB_ACCOUNTS = {
    "af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887", "ap-northeast-3": "383597477331", "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251", "cn-north-1": "638102146993", "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928", "eu-north-1": "897822967062", "eu-south-1": "635631232127",
    "eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-west-3": "009996457667",
    "me-south-1": "076674570225", "sa-east-1": "507241528517", "us-east-1": "127311923021",
    "us-east-2": "033677994240", "us-gov-east-1": "190560391635", "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980", "us-west-2": "797873946194",
}
POLICY_DOCUMENT = "aws:iam/getPolicyDocument:getPolicyDocument"


class InvokeFailure(Exception):
    """The provider would refuse the invoke's arguments; the SDK reports it as `invoke of <token> failed`."""

    def __init__(self, prop: str, reason: str):
        super().__init__(reason)
        self.prop, self.reason = prop, reason


class Unanswered(Exception):
    """An answered invoke asked for what only the account knows (a partner's endpoint service): as if unanswered."""


def unanswered(token: str) -> str:
    """The preview's error line for an invoke it does not answer."""
    return (f"the offline preview does not answer {token}; mocks cannot know what it returns (the invokes it "
            "answers: README.md, \"What the offline preview is\")")


@dataclass(frozen=True)
class Context:
    """What an answer may draw on besides the invoke's arguments."""

    region: str                              # the stack's region (`aws:region`)
    config: Mapping[str, str]                # the stack's config, structured values as JSON text
    provider: Optional[Mapping[str, Any]]    # the inputs of the invoke's explicit provider, if it has one

    @property
    def provider_region(self) -> str:
        """The region the invoke's provider works in: an explicit provider's own (a secret's value), else the
        stack's (also where the explicit one's is unknown: an answer cannot be unknown here)."""
        try:
            return awsprovider.provider_region(self.provider) or self.region
        except awsprovider.Unknown:
            return self.region


# --------------------------------------------------------------------------------------------------
# Fixed answers, derived answers
# --------------------------------------------------------------------------------------------------


def _asked_region(args: dict, ctx: Context) -> str:
    """The region an invoke is about: its own `region` argument, else its provider's (pulumi-aws 7 takes `region` on
    most invokes)."""
    return str(args.get("region") or ctx.provider_region)


_DIRECTIONS = {"north": "n", "south": "s", "east": "e", "west": "w", "central": "c", "northeast": "ne",
               "northwest": "nw", "southeast": "se", "southwest": "sw"}


def _zone_id_prefix(region: str) -> str:
    """The prefix of a region's AZ ids as AWS writes them: us-east-1 → use1, eu-west-1 → euw1, ap-northeast-1 → apne1
    (ids are per account in AWS; these stand in for them)."""
    parts = region.split("-")
    if len(parts) == 3 and parts[1] in _DIRECTIONS:
        return f"{parts[0]}{_DIRECTIONS[parts[1]]}{parts[2]}"
    return region.replace("-", "")


# (letter, id number) of the zones an account sees in a region: three, as most regions give most accounts, but
# us-west-1 gives most accounts two (its usw1-az2 takes no new accounts). An account's own may differ.
_ZONES = (("a", 1), ("b", 2), ("c", 4))
_FEWER_ZONES = {"us-west-1": (("a", 1), ("c", 3))}


def _zone_names(region: str) -> list[str]:
    """The names of the zones the preview stands in for the account's in `region`."""
    return [f"{region}{letter}" for letter, _ in _FEWER_ZONES.get(region, _ZONES)]


def _availability_zones(args: dict, ctx: Context) -> dict:
    region = _asked_region(args, ctx)
    prefix = _zone_id_prefix(region)
    # Its Availability Zones' zone group, as the EC2 API names it (AvailabilityZone.GroupName).
    return {"names": _zone_names(region),
            "zoneIds": [f"{prefix}-az{i}" for _, i in _FEWER_ZONES.get(region, _ZONES)],
            "id": region, "groupNames": [f"{region}-zg-1"], "region": region}


# The services with a gateway endpoint as well as an interface one.
_GATEWAY_SERVICES = frozenset({"s3", "dynamodb"})


def _vpc_endpoint_service(args: dict, ctx: Context) -> dict:
    """An AWS service's endpoint service by name, `com.amazonaws.<region>.<service>` of the region asked for,
    offered in each of the preview's zones (which zones a service is missing from, and whether a name exists at
    all, is AWS's to say; README). A partner's service (`com.amazonaws.vpce.<region>.*`), or one asked for by
    `service` or filters, is what exists: not answered."""
    region = _asked_region(args, ctx)
    name = str(args.get("serviceName") or "")
    prefix = f"com.amazonaws.{region}."
    if not name.startswith(prefix) or args.get("filters") or args.get("service"):
        raise Unanswered()
    service = name[len(prefix):]
    if not args.get("serviceType") and service in _GATEWAY_SERVICES:
        # Both its gateway and its interface service match (the provider's data source wants exactly one).
        raise InvokeFailure("serviceType", "multiple EC2 VPC Endpoint Services matched; use additional constraints "
                                           "to reduce matches to a single EC2 VPC Endpoint Service")
    service_type = str(args.get("serviceType") or "Interface")
    if service_type == "Gateway" and service not in _GATEWAY_SERVICES:
        raise Unanswered()  # AWS's gateway endpoints are S3's and DynamoDB's; any other is not AWS's to answer here
    answer = {**args, "serviceName": name, "serviceType": service_type, "region": region, "owner": "amazon",
              "availabilityZones": _zone_names(region),
              "id": f"vpce-svc-preview-{service}", "serviceId": f"vpce-svc-preview-{service}",
              "acceptanceRequired": False, "managesVpcEndpoints": False, "vpcEndpointPolicySupported": True,
              "baseEndpointDnsNames": [f"{service}.{region}.vpce.amazonaws.com"], "supportedIpAddressTypes": ["ipv4"]}
    if service_type == "Interface":  # a gateway endpoint has no private DNS name
        answer |= {"privateDnsName": f"{service}.{region}.amazonaws.com",
                   "privateDnsNames": [f"{service}.{region}.amazonaws.com"]}
    return answer


def _caller_identity(args: dict, ctx: Context) -> dict:
    account = account_id()
    return {"accountId": account, "arn": f"arn:aws:iam::{account}:user/preview", "userId": "AIDAPREVIEW",
            "id": account}


@functools.lru_cache(maxsize=None)
def _region_descriptions() -> dict[str, str]:
    """Each region's description (`US East (N. Virginia)`), from botocore's partition data, as the provider's;
    read without importing botocore (0.15 s), which a preview needs only for its API check."""
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        return {}
    data = json.loads((Path(spec.submodule_search_locations[0]) / "data" / "partitions.json").read_text())
    return {region: about.get("description", "") for partition in data["partitions"]
            for region, about in partition["regions"].items()}


def _region(args: dict, ctx: Context) -> dict:
    region = _asked_region(args, ctx)
    return {"name": region, "region": region, "id": region, "endpoint": f"ec2.{region}.amazonaws.com",
            "description": _region_descriptions().get(region, "")}


# The names of the hosted zones the stack files give by id (dns.hostedZoneId), as their comments name them: a zone's
# name is the account's to say, and the program checks the names it writes records for against it.
ZONE_NAMES = {"Z07341052DEVSHOPEXMPL": "dev.shop.example.com"}
# Any other zone asked for by id: the documentation domain, which the example stacks' names are all in.
STAND_IN_ZONE = "example.com"


def _zone(args: dict, ctx: Context) -> dict:
    """The zone asked for: by id (that id, and the stack file's name for it, else a stand-in name), else by name (a
    stand-in id); asked for by both, both as asked."""
    zone_id = str(args.get("zoneId") or "Z0PREVIEW0000000000")
    name = str(args.get("name") or ZONE_NAMES.get(zone_id, STAND_IN_ZONE)).rstrip(".")
    return {"zoneId": zone_id, "id": zone_id, "name": name, "privateZone": bool(args.get("privateZone"))}


def _partition(args: dict, ctx: Context) -> dict:
    return {"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws", "id": "aws"}


def _elb_service_account(args: dict, ctx: Context) -> dict:
    region = _asked_region(args, ctx)
    if region not in ELB_ACCOUNTS:
        raise InvokeFailure("region", f"unsupported AWS Region: {region}")
    account = ELB_ACCOUNTS[region]
    return {"arn": f"arn:aws:iam::{account}:root", "id": account, "region": region}


def _default_tags(args: dict, ctx: Context) -> dict:
    """internal/service/meta/default_tags_data_source.go: the provider's default tags without `aws:` keys and those
    its `ignoreTags` names (the merge a resource's `tagsAll` gets, with no tags of its own); the id is the
    partition."""
    try:
        tags = awsprovider.merged_tags({}, ctx.provider, ctx.config)
    except awsprovider.Unknown:
        tags = {}
    return {"id": "aws", "tags": {k: v for k, v in tags.items() if not k.startswith("aws:")}}


def _role(args: dict, ctx: Context) -> dict:
    """A role by name: its ARN as IAM writes it for a role at the path "/" (the usual one)."""
    name = str(args.get("name") or "")
    return {**args, "arn": f"arn:aws:iam::{account_id()}:role/{name}", "id": name, "name": name, "path": "/"}


def _repository(args: dict, ctx: Context) -> dict:
    """A repository by name, in this account's registry (or the one asked for) and the provider's region."""
    name = str(args.get("name") or "")
    registry = str(args.get("registryId") or account_id())
    region = _asked_region(args, ctx)
    return {**args, "arn": f"arn:aws:ecr:{region}:{registry}:repository/{name}", "id": name, "name": name,
            "registryId": registry, "region": region,
            "repositoryUrl": f"{registry}.dkr.ecr.{region}.amazonaws.com/{name}"}


def oidc_provider_url(url: str) -> str:
    """An IAM OIDC provider's URL as IAM keeps it, reads it back and names the provider by: without its scheme."""
    return url.split("://", 1)[-1]


def oidc_provider_arn(url: str) -> str:
    """The ARN IAM gives the OIDC provider of `url` in the account: `oidc-provider/<url without its scheme>`."""
    return f"arn:aws:iam::{account_id()}:oidc-provider/{oidc_provider_url(url)}"


def _oidc_provider(args: dict, ctx: Context) -> dict:
    """An IAM OIDC provider by ARN or URL: IAM names it `oidc-provider/<url without its scheme>` in the account, and
    reads the URL back without the scheme (terraform-provider-aws `openid_connect_provider_data_source.go`); its
    client ids and thumbprints are the account's, left empty. The data source takes exactly one of the two, and a URL
    only with https and no query (`validOpenIDURL`)."""
    arn, url = str(args.get("arn") or ""), str(args.get("url") or "")
    if not arn and not url:
        raise InvokeFailure("arn", "one of `arn,url` must be specified")
    if arn and url:
        raise InvokeFailure("arn", "only one of `arn,url` can be specified, but `arn,url` were specified.")
    parsed = urllib.parse.urlsplit(url)
    if url and parsed.scheme != "https":
        raise InvokeFailure("url", "\"url\" has to use HTTPS scheme (i.e. begin with https://)")
    if parsed.query:
        raise InvokeFailure("url", "\"url\" cannot contain query parameters per the OIDC standard")
    if arn:
        url = arn.split(":oidc-provider/", 1)[-1]
    else:
        arn = oidc_provider_arn(url)
    return {**args, "arn": arn, "id": arn, "url": oidc_provider_url(url)}


# --------------------------------------------------------------------------------------------------
# aws:iam/getPolicyDocument
#
# As terraform-provider-aws (v5 and later, which pulumi-aws 7 bridges) builds `aws_iam_policy_document`:
# internal/service/iam/policy_document_data_source.go (dataSourcePolicyDocumentRead) and policy_model.go
# (the IAMPolicyDoc types and their MarshalJSON/UnmarshalJSON):
# - keys in the order of the Go structs: Version, Id, Statement; Sid, Effect, Action, NotAction, Resource,
#   NotResource, Principal, NotPrincipal, Condition; empty ones left out (`omitempty`, Sid too since v5);
# - `actions`, `resources`, principals' `identifiers` (and the not* ones) are sets: one value becomes a string,
#   several a list sorted in reverse (policyDecodeConfigStringList); condition `values` keep their order, one
#   value a string;
# - principals become {type: identifiers} and conditions {test: {variable: values}}, map keys sorted (Go's
#   encoding/json); the same type (or test and variable) twice is merged into one list; a lone {"*": ["*"]}
#   principal is "*";
# - `version` defaults to 2012-10-17 and is always written; `&{` becomes `${` in resources, identifiers and
#   condition values;
# - `sourcePolicyDocuments`, then the statements, then `overridePolicyDocuments` are merged in order, a statement
#   replacing an earlier one with the same Sid (IAMPolicyDoc.Merge); the documents are decoded into the same
#   types first, so they are normalised the same way (a condition's boolean becomes a string, a number is
#   dropped; any string principal is "*");
# - `json` is json.MarshalIndent with two spaces, `minifiedJson` json.Marshal (both escape <, > and & as Go
#   does), `id` the CRC-32 of `json` (create.StringHashcode).
# Sets in Terraform iterate in hash order, which this cannot reproduce: where two principal blocks of one type,
# or two conditions on one test and variable, are concatenated, they are in the order the program gave them.
# --------------------------------------------------------------------------------------------------

VERSIONS = ("2008-10-17", "2012-10-17")
_SID = re.compile(r"^[a-zA-Z0-9]*$")


@dataclass
class _Statement:
    sid: str = ""
    effect: str = ""
    actions: Any = None
    not_actions: Any = None
    resources: Any = None
    not_resources: Any = None
    principals: list = field(default_factory=list)      # [(type, identifiers: str or list)]
    not_principals: list = field(default_factory=list)
    conditions: list = field(default_factory=list)      # [(test, variable, values: str or list)]


@dataclass
class _Document:
    version: str = ""
    id: str = ""
    statements: list = field(default_factory=list)

    def merge(self, new: "_Document") -> None:
        """IAMPolicyDoc.Merge: adopt a set Id, the greater Version, and replace statements by Sid."""
        if new.id:
            self.id = new.id
        if new.version > self.version:
            self.version = new.version
        for statement in new.statements:
            same = next((i for i, old in enumerate(self.statements) if statement.sid and old.sid == statement.sid), None)
            if same is None:
                self.statements.append(statement)
            else:
                self.statements[same] = statement


def _config_strings(values: Any) -> Any:
    """policyDecodeConfigStringList over a set: one value as a string, several sorted in reverse."""
    unique = sorted({str(v) for v in values or []}, reverse=True)
    return unique[0] if len(unique) == 1 else unique


def _replace_vars(values: Any, version: str, prop: str) -> Any:
    """`&{aws:username}` is how a policy variable is written in Terraform (`${` is its own interpolation)."""
    def one(value: str) -> str:
        if version == "2008-10-17" and "&{" in value:
            raise InvokeFailure(prop, f"found &{{ sequence in ({value}), which is not supported in document "
                                      "version 2008-10-17")
        return value.replace("&{", "${")
    return one(values) if isinstance(values, str) else [one(v) for v in values]


def _unique(blocks: list) -> list:
    """A Terraform set of blocks: the same block twice is one."""
    seen: list = []
    for block in blocks or []:
        if block not in seen:
            seen.append(block)
    return seen


def _config_principals(blocks: Any, version: str, prop: str) -> list:
    return [(str(block.get("type", "")),
             _replace_vars(_config_strings(block.get("identifiers")), version, f"{prop}.identifiers"))
            for block in _unique(blocks)]


def _config_conditions(blocks: Any, version: str, prop: str) -> list:
    out = []
    for block in _unique(blocks):
        values = [v for v in block.get("values") or [] if isinstance(v, str)]  # expandStringListKeepEmpty
        values = _replace_vars(values, version, f"{prop}.values")
        out.append((str(block.get("test", "")), str(block.get("variable", "")), values[0] if len(values) == 1 else values))
    return out


def _camel_keys(raw: Any) -> dict:
    """A statement's keys as the SDK's argument classes send them (`notActions`). A dict the program wrote with the
    Python names of its TypedDict (`not_actions`) reaches the provider as written, where the bridge maps a name
    without capitals to the Terraform name it already is, so both work."""
    return {re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k): v for k, v in (raw or {}).items()}


def _config_document(args: dict) -> _Document:
    version = args.get("version") or "2012-10-17"
    if version not in VERSIONS:
        raise InvokeFailure("version", f"expected version to be one of {list(VERSIONS)}, got {version}")
    doc = _Document(version=version, id=str(args.get("policyId") or ""))
    sids: set = set()
    for i, raw in enumerate(args.get("statements") or []):
        prop = f"statements[{i}]"
        raw = _camel_keys(raw)
        sid = str(raw.get("sid") or "")
        if not _SID.match(sid):
            raise InvokeFailure(f"{prop}.sid", "must only include alphanumeric characters")
        if sid in sids:
            raise InvokeFailure(f"{prop}.sid", f"writing IAM Policy Document: duplicate Sid ({sid}). Remove the Sid "
                                               "or ensure the Sid is unique.")
        if sid:
            sids.add(sid)
        effect = raw.get("effect") or "Allow"
        if effect not in ("Allow", "Deny"):
            raise InvokeFailure(f"{prop}.effect", f"expected effect to be one of [\"Allow\" \"Deny\"], got {effect}")
        statement = _Statement(sid=sid, effect=effect)
        if raw.get("actions"):
            statement.actions = _config_strings(raw["actions"])
        if raw.get("notActions"):
            statement.not_actions = _config_strings(raw["notActions"])
        if raw.get("resources"):
            statement.resources = _replace_vars(_config_strings(raw["resources"]), version, f"{prop}.resources")
        if raw.get("notResources"):
            statement.not_resources = _replace_vars(_config_strings(raw["notResources"]), version,
                                                    f"{prop}.notResources")
        statement.principals = _config_principals(raw.get("principals"), version, f"{prop}.principals")
        statement.not_principals = _config_principals(raw.get("notPrincipals"), version, f"{prop}.notPrincipals")
        statement.conditions = _config_conditions(raw.get("conditions"), version, f"{prop}.conditions")
        doc.statements.append(statement)
    return doc


# Decoding a JSON document into the provider's types (encoding/json matches keys without case).

_DOC_KEYS = {"version": "version", "id": "id", "statement": "statements"}
_STATEMENT_KEYS = {"sid": "sid", "effect": "effect", "action": "actions", "notaction": "not_actions",
                   "resource": "resources", "notresource": "not_resources", "principal": "principals",
                   "notprincipal": "not_principals", "condition": "conditions"}


def _fields(raw: dict, keys: dict, where: str) -> dict:
    out = {}
    for key, value in raw.items():  # two keys for one field: the later wins, as the decoder sets it twice
        name = keys.get(key.lower())
        if name is not None:
            out[name] = value
    for name in ("version", "id", "sid", "effect"):
        if name in out and out[name] is not None and not isinstance(out[name], str):
            raise ValueError(f"json: cannot unmarshal {type(out[name]).__name__} into {where} field of type string")
    return out


_ABSENT = object()


def _decoded_principals(raw: Any) -> list:
    if raw is _ABSENT:
        return []
    if isinstance(raw, str):  # any string, as the provider reads it
        return [("*", ["*"])]
    if not isinstance(raw, dict):
        raise ValueError(f"Unsupported data type {type(raw).__name__} for IAMPolicyStatementPrincipalSet")
    out = []
    for key, value in raw.items():
        if isinstance(value, str):
            out.append((key, value))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out.append((key, sorted(value)))
        else:
            raise ValueError(f"Unsupported data type {type(value).__name__} for "
                             "IAMPolicyStatementPrincipalSet.Identifiers")
    return out


def _decoded_conditions(raw: Any) -> list:
    if raw is None:
        return []
    if not isinstance(raw, dict) or not all(isinstance(v, dict) or v is None for v in raw.values()):
        raise ValueError("json: cannot unmarshal Condition into map[string]map[string]interface {}")
    out = []
    for test, variables in raw.items():
        for variable, values in (variables or {}).items():
            # The provider keeps strings, booleans (as "true"/"false") and lists of strings; it drops numbers.
            if isinstance(values, bool):
                out.append((test, variable, "true" if values else "false"))
            elif isinstance(values, str):
                out.append((test, variable, [values]))
            elif isinstance(values, list):
                if not all(isinstance(v, str) for v in values):
                    raise ValueError(f"condition {test} {variable}: the provider reads only strings in a list")
                out.append((test, variable, list(values)))
    return out


def _decoded_document(text: Any) -> _Document:
    raw = json.loads(text) if isinstance(text, str) else None
    if not isinstance(raw, dict):
        raise ValueError("json: cannot unmarshal into Go value of type iamPolicyDoc")
    fields = _fields(raw, _DOC_KEYS, "IAMPolicyDoc")
    doc = _Document(version=fields.get("version") or "", id=fields.get("id") or "")
    statements = fields.get("statements")
    if statements is not None and not isinstance(statements, list):
        raise ValueError("json: cannot unmarshal object into Go struct field IAMPolicyDoc.Statement of type "
                         "[]*IAMPolicyStatement")
    for raw_statement in statements or []:
        if not isinstance(raw_statement, dict):
            raise ValueError("json: cannot unmarshal a statement that is not an object")
        s = _fields(raw_statement, _STATEMENT_KEYS, "IAMPolicyStatement")
        doc.statements.append(_Statement(
            sid=s.get("sid") or "", effect=s.get("effect") or "", actions=s.get("actions"),
            not_actions=s.get("not_actions"), resources=s.get("resources"), not_resources=s.get("not_resources"),
            principals=_decoded_principals(s.get("principals", _ABSENT)),
            not_principals=_decoded_principals(s.get("not_principals", _ABSENT)),
            conditions=_decoded_conditions(s.get("conditions"))))
    return doc


# Encoding as the provider does.

def _principal_json(principals: list) -> Any:
    if len(principals) == 1 and principals[0][0] == "*" and principals[0][1] in ("*", ["*"]):
        return "*"
    out: dict = {}
    for kind, identifiers in principals:
        existing = out.get(kind)
        if isinstance(identifiers, list):
            merged = [] if existing is None else [existing] if isinstance(existing, str) else existing
            out[kind] = merged + sorted(identifiers, reverse=True)
        elif existing is None:
            out[kind] = identifiers
        else:
            out[kind] = ([existing] if isinstance(existing, str) else existing) + [identifiers]
    return {k: out[k] for k in sorted(out)}


def _condition_json(conditions: list) -> dict:
    out: dict = {}
    for test, variable, values in conditions:
        out.setdefault(test, {}).setdefault(variable, []).extend([values] if isinstance(values, str) else values)
    return {test: {variable: (items[0] if len(items) == 1 else items)
                   for variable, items in sorted(out[test].items())} for test in sorted(out)}


def _empty(value: Any) -> bool:
    """Go's omitempty: nil, "", and empty slices and maps are left out."""
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


def _statement_json(s: _Statement) -> dict:
    pairs = [("Sid", s.sid), ("Effect", s.effect), ("Action", s.actions), ("NotAction", s.not_actions),
             ("Resource", s.resources), ("NotResource", s.not_resources),
             ("Principal", _principal_json(s.principals) if s.principals else None),
             ("NotPrincipal", _principal_json(s.not_principals) if s.not_principals else None),
             ("Condition", _condition_json(s.conditions) if s.conditions else None)]
    return {key: value for key, value in pairs if not _empty(value)}


def _document_json(doc: _Document) -> dict:
    pairs = [("Version", doc.version), ("Id", doc.id), ("Statement", [_statement_json(s) for s in doc.statements])]
    return {key: value for key, value in pairs if not _empty(value)}


_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_json(value: Any, indent: Optional[int] = None, sort_keys: bool = False) -> str:
    """Go's json.Marshal (or MarshalIndent with `indent` spaces): UTF-8 as is, HTML characters escaped; with
    `sort_keys`, as it writes a map (a struct's fields keep their order)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=(",", ": ") if indent else (",", ":"),
                      sort_keys=sort_keys)
    return re.sub("[<>&\u2028\u2029]", lambda m: _GO_ESCAPES[m.group()], text)


def policy_document(args: dict, ctx: Optional[Context] = None) -> dict:
    """The result of `aws:iam/getPolicyDocument` for its (camelCase) arguments."""
    for deprecated, name in (("overrideJson", "override_json"), ("sourceJson", "source_json")):
        if args.get(deprecated):
            raise InvokeFailure(deprecated, f"expected \"{name}\" to be an empty string")
    merged = _Document()
    sids: set = set()
    for i, text in enumerate(args.get("sourcePolicyDocuments") or []):
        if text is None:
            continue
        try:
            source = _decoded_document(text)
        except ValueError as exc:
            raise InvokeFailure("sourcePolicyDocuments", f"writing IAM Policy Document: merging source document "
                                                         f"{i}: {exc}") from None
        for j, statement in enumerate(source.statements):
            if statement.sid and statement.sid in sids:
                raise InvokeFailure("sourcePolicyDocuments", f"writing IAM Policy Document: merging source document "
                                    f"{i}: duplicate Sid ({statement.sid}) in source_policy_documents (statement {j})."
                                    " Remove the Sid or ensure Sids are unique.")
            if statement.sid:
                sids.add(statement.sid)
        merged.merge(source)
    merged.merge(_config_document(args))
    for i, text in enumerate(args.get("overridePolicyDocuments") or []):
        if text is None:
            continue
        try:
            merged.merge(_decoded_document(text))
        except ValueError as exc:
            raise InvokeFailure("overridePolicyDocuments", f"writing IAM Policy Document: merging override document "
                                                           f"{i}: {exc}") from None
    document = _document_json(merged)
    indented = go_json(document, indent=2)
    # The arguments come back too, with the version's default.
    return {**args, "version": args.get("version") or "2012-10-17", "json": indented,
            "minifiedJson": go_json(document), "id": str(zlib.crc32(indented.encode()))}


# The invokes answered offline: token -> answer(args, context). README.md lists them (what mocks cannot show).
ANSWERS: dict[str, Callable[[dict, Context], dict]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:ec2/getVpcEndpointService:getVpcEndpointService": _vpc_endpoint_service,
    "aws:index/getRegion:getRegion": _region,
    "aws:route53/getZone:getZone": _zone,
    "aws:index/getPartition:getPartition": _partition,
    "aws:elb/getServiceAccount:getServiceAccount": _elb_service_account,
    POLICY_DOCUMENT: policy_document,
    "aws:index/getDefaultTags:getDefaultTags": _default_tags,
    "aws:iam/getRole:getRole": _role,
    "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": _oidc_provider,
    "aws:ecr/getRepository:getRepository": _repository,
}
