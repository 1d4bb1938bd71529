"""What the AWS provider (pulumi-aws 7) adds to a resource between the program and the policies, done offline.

A real preview sends each resource's inputs through the provider's `Check` before the analyzers see them, and
its state is what the provider plans from those. The mocks stand in for the provider, so this module does what
it does there, from the provider's sources:

- `tagsAll` (`tags_all`, provider/tags.go `applyTags`, a PreCheckCallback): the provider's `defaultTags.tags`, the
  resource's own `tags` over them, less the keys its `ignoreTags` names; `{}` when none is left, unknown while
  either holds an unknown value. The provider is the resource's explicit one, else the default provider, which
  reads the stack's `aws:*` config (`provider_setting`). One merge, here, for the mocks and the invokes;
- the auto-name of a property the provider names when it is left out: `<resource name>-<7 random characters>`
  (`autoname`; pulumi-terraform-bridge's AutoName / AutoNameTransform, the random part stood in for by one drawn
  from the resource's URN: two resources never share one, as in AWS, and a rerun gives the same). Check
  fills in every type's `name` that the SDK takes as an optional input (pulumi-aws's own setAutonaming, as the
  bridge's AutoName(255, "-"), with its per-type options: `NAME_STYLES`) and an S3 bucket's `bucket`
  (`check_autoname`), so the analyzers see the name and the state carries it; tools/apicheck.py checks it
  against AWS's rules;
- `sdk_outputs`: the provider's output types as the SDK's resource class declares them (which types have
  `tagsAll`; `text_outputs`, the properties the provider returns as text: one the program may give as a map
  or list, like an IAM policy document, the provider writes as JSON text, pulumi-terraform-bridge's
  TransformJSONDocument, which pulumi-aws declares on such properties with a `PolicyDocument` AltType).
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

from google.protobuf import json_format
from pulumi import _types
from pulumi.runtime import rpc

# The random part of an auto-name where no URN is known to draw one from (inputs that did not go through Check).
STAND_IN = "abcdefghijklmnop"


class AutonameError(ValueError):
    """The resource's name is too long for the auto-name the provider would give it."""


# How pulumi-aws's Check names a resource's `name` the program left out (provider/autonaming.go's setAutonaming,
# tfbridge.AutoName("name", 255, "-"), and the Fields["name"] of provider/resource_overrides.go and aliases.go that it
# leaves alone): the resource name transformed, a separator and random characters (stood in for), then a
# post-transform given the inputs. A name longer than `maxlen` before the post-transform fails Check (None: no limit
# known here). The random part is 7 hexadecimal digits (resource.NewUniqueName's default charset); Glue's and Lex's
# is 8 lower-case letters; the IoT topic rule's has none (Randlen 0), so it is the resource name itself.
@dataclass(frozen=True)
class NameStyle:
    separator: str = "-"
    random_length: int = 7
    letters: bool = False
    transform: Callable[[str], str] = str
    post: Optional[Callable[[str, Mapping[str, Any]], str]] = None
    maxlen: Optional[int] = 255


# SQS queues and SNS topics: a FIFO one's name must end in `.fifo`, and the flag that makes one FIFO.
FIFO_FLAGS = {"aws:sqs/queue:Queue": "fifoQueue", "aws:sns/topic:Topic": "fifoTopic"}


def fifo_suffixed(type_token: str, value: str, inputs: Mapping[str, Any]) -> str:
    """`value` with the `.fifo` a FIFO queue's or topic's name ends in: pulumi-aws's PostTransform adds it to an
    auto-name, terraform-provider-aws's create.NameWithSuffix to a name made from a `namePrefix`."""
    flag = FIFO_FLAGS.get(type_token)
    return value + ".fifo" if flag is not None and _is_true(inputs.get(flag)) else value


def _kms_alias(value: str, inputs: Mapping[str, Any]) -> str:
    # KMS alias names start with `alias/` (API_CreateAlias); the PostTransform adds it where the name lacks it.
    return value if value.startswith("alias/") else "alias/" + value


_DEFAULT_STYLE = NameStyle()
# Properties other than `name` that pulumi-aws auto-names at Check, how, and the property that conflicts with the
# auto-name (set, the provider computes the name itself): the bucket of aws_s3_bucket (provider/resources.go)
# and its BucketV2 copy (provider/compatibility.go), `tfbridge.AutoNameTransform("bucket", 63, strings.ToLower)`.
_S3_BUCKET = ("bucket", NameStyle(transform=str.lower, maxlen=63), "bucketPrefix")
AUTONAMED: dict[str, tuple[str, NameStyle, str]] = {"aws:s3/bucket:Bucket": _S3_BUCKET,
                                                    "aws:s3/bucketV2:BucketV2": _S3_BUCKET}
# pulumi-aws registers the load balancer types under aws:alb/* too (aliases.go): the same API, outputs and ARNs.
LB_FAMILIES = ("aws:lb/", "aws:alb/")


def alb_aliases(table: Mapping[str, Any]) -> dict[str, Any]:
    """A table's aws:lb/* entries under their aws:alb/* tokens."""
    main, alias = LB_FAMILIES
    return {token.replace(main, alias, 1): value for token, value in table.items() if token.startswith(main)}


_UNDERSCORE = NameStyle(separator="_")
_LETTERS8 = NameStyle(separator="_", random_length=8, letters=True, maxlen=None)
_GLUE = NameStyle(separator="_", random_length=8, letters=True, transform=str.lower, maxlen=None)
_SHORT64 = NameStyle(maxlen=64)
NAME_STYLES: dict[str, NameStyle] = {
    "aws:iam/role:Role": _SHORT64,
    "aws:lambda/function:Function": _SHORT64,
    "aws:cloudwatch/eventRule:EventRule": _SHORT64,
    "aws:lb/targetGroup:TargetGroup": NameStyle(maxlen=32),  # aliases.go; its aws:alb alias keeps 255
    "aws:elasticbeanstalk/environment:Environment": NameStyle(maxlen=40),
    **{fifo_type: NameStyle(post=functools.partial(fifo_suffixed, fifo_type), maxlen=80) for fifo_type in FIFO_FLAGS},
    "aws:kms/alias:Alias": NameStyle(post=_kms_alias, maxlen=238),
    "aws:appsync/function:Function": _UNDERSCORE,
    "aws:appsync/dataSource:DataSource": _UNDERSCORE,
    "aws:athena/database:Database": _UNDERSCORE,
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": _UNDERSCORE,
    "aws:glue/catalogDatabase:CatalogDatabase": _GLUE,
    "aws:glue/catalogTable:CatalogTable": _GLUE,
    "aws:lex/bot:Bot": _LETTERS8,
    "aws:lex/botAlias:BotAlias": _LETTERS8,
    "aws:lex/intent:Intent": _LETTERS8,
    "aws:lex/slotType:SlotType": _LETTERS8,
    "aws:iot/topicRule:TopicRule": NameStyle(separator="", random_length=0, maxlen=None),
}


def _is_true(value: Any) -> bool:
    """A boolean input that is true: plain or a protobuf Value (the Check request's inputs), secret or not (the
    bridge reads Check's inputs with secrets unwrapped); unknown is not true."""
    if getattr(value, "WhichOneof", None) is not None:  # a protobuf Value: its plain form
        value = json_format.MessageToDict(value)
    if isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig:
        value = value.get("value")
    return value is True


_AUTONAMES_NAME: dict[str, bool] = {}


def autonames_name(type_token: str) -> bool:
    """Whether pulumi-aws's Check auto-names the type's `name`: the SDK's args class takes `name` with a default
    (the bridge makes a Required `name` optional when it auto-names it; Route 53 records and Directory Service
    directories, which pulumi-aws leaves alone, keep it required). False for a type no loaded package registers
    (yet: only what is found is kept, per type)."""
    if type_token in _AUTONAMES_NAME:
        return _AUTONAMES_NAME[type_token]
    if not type_token.startswith("aws:"):
        return False
    resource_class = sdk_class(type_token)
    if resource_class is None:
        return False
    args_class = getattr(importlib.import_module(resource_class.__module__), resource_class.__name__ + "Args", None)
    parameter = inspect.signature(args_class.__init__).parameters.get("name") if isinstance(args_class, type) else None
    found = _AUTONAMES_NAME[type_token] = parameter is not None and parameter.default is not inspect.Parameter.empty
    return found


def random_part(style: NameStyle, urn: Optional[str]) -> str:
    """The random part of an auto-name in `style`: drawn from the resource's URN (the same on every run; a real one
    differs between resources, so two auto-named resources never share a name), else `STAND_IN`'s."""
    if urn is None:
        return STAND_IN[:style.random_length]
    digits = hashlib.sha256(urn.encode()).hexdigest()[:style.random_length]
    return "".join(STAND_IN[int(d, 16)] for d in digits) if style.letters else digits


def _styled(type_token: str, style: NameStyle, resource_name: str, inputs: Mapping[str, Any], urn: Optional[str],
            checked: bool = False) -> str:
    """The name in `style`, the random part stood in for (`random_part`); `checked`, as Check makes it: too long for
    the style's limit, resource.NewUniqueName's error as ComputeAutoNameDefault wraps it (the name before its random
    part)."""
    random = random_part(style, urn)
    unique = style.transform(resource_name) + (style.separator + random if random else "")
    if checked and random and style.maxlen is not None and len(unique) > style.maxlen:
        raise AutonameError(f"could not make instance of '{type_token}': name '{unique[:-len(random)]}' plus "
                            f"{len(random)} random chars is longer than maximum length {style.maxlen}")
    return style.post(unique, inputs) if style.post is not None else unique


def name_autoname(type_token: str, resource_name: str, inputs: Mapping[str, Any], urn: Optional[str] = None) -> str:
    """The `name` pulumi-aws gives a resource of the type that leaves it out (the random part stood in for, from
    `urn` where given): `<resource name>-<7 hex digits>`, or the type's own style (`NAME_STYLES`)."""
    return _styled(type_token, NAME_STYLES.get(type_token, _DEFAULT_STYLE), resource_name, inputs, urn)


def check_autoname(type_token: str, resource_name: str, given: Mapping[str, Any], urn: str) -> dict[str, str]:
    """The properties pulumi-aws's Check auto-names for a resource that leaves them (and their conflicting property)
    out, and the names: pulumi-terraform-bridge's ComputeAutoNameDefault, the resource's name transformed, `-` and 7
    random characters (drawn from `urn`), at most the property's length, else its error. `given` is the resource's
    inputs (a Struct's fields or plain data): which are there, and the flags a name's style reads (`fifoQueue`)."""
    named = [AUTONAMED[type_token]] if type_token in AUTONAMED else []
    if autonames_name(type_token):
        # The bridge leaves `name` out where a property that conflicts with it is given (buildConflictsWith):
        # terraform-provider-aws declares `name_prefix` so wherever a resource has one.
        named.append(("name", NAME_STYLES.get(type_token, _DEFAULT_STYLE), "namePrefix"))
    return {prop: _styled(type_token, style, resource_name, given, urn, checked=True)
            for prop, style, conflicting in named
            if prop not in given and conflicting not in given}


# --------------------------------------------------------------------------------------------------
# Provider settings and tags
# --------------------------------------------------------------------------------------------------


class Unknown(Exception):
    """A value the provider's merge needs is unknown until the update."""


def _plain_secret(value: Any) -> Any:
    # A provider's plain inputs as the preview keeps them: a secret is {"secret": value}, an unknown
    # {"unknown": true}.
    return value["secret"] if isinstance(value, dict) and set(value) == {"secret"} else value


def provider_region(provider: Optional[Mapping[str, Any]]) -> Any:
    """An explicit provider's `region` (its plain inputs): a secret's value (it still works there), None where it
    names none. Raises Unknown where it is unknown until the update."""
    region = _plain_secret((provider or {}).get("region"))
    if region == {"unknown": True}:
        raise Unknown("region")
    return region if isinstance(region, str) and region else None


def provider_setting(provider: Optional[Mapping[str, Any]], config: Mapping[str, str], key: str) -> Any:
    """A provider setting (`defaultTags`, `ignoreTags`) as data: an explicit provider's input (`provider`, its plain
    inputs, where the SDK sends an object-typed setting as JSON text), else the stack's `aws:<key>` config (the
    default provider's). Raises Unknown where it is unknown; None where it is absent or not JSON."""
    raw = _plain_secret(provider.get(key)) if provider is not None else config.get(f"aws:{key}")
    if raw == {"unknown": True}:
        raise Unknown(key)
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return None
    return raw


def is_wire_secret(value: Any) -> bool:
    """Whether a value in wire form (a Struct's, as `json_format` reads it) is a secret, or holds one."""
    if isinstance(value, dict):
        return value.get(rpc._special_sig_key) == rpc._special_secret_sig or any(map(is_wire_secret, value.values()))
    return isinstance(value, list) and any(map(is_wire_secret, value))


def _wire_plain(value: Any) -> Any:
    """A wire value with its secrets' values in their place; Unknown where it holds an unknown."""
    if value == rpc.UNKNOWN:
        raise Unknown("tags")
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return _wire_plain(value.get("value"))
        return {k: _wire_plain(v) for k, v in value.items()}
    return [_wire_plain(v) for v in value] if isinstance(value, list) else value


def _tag_map(value: Any) -> dict:
    """A tag map as the provider's TagConfig holds it (tftags.New): text values, a number or boolean written."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v if v is None or isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def merged_tags(tags: Any, provider: Optional[Mapping[str, Any]], config: Mapping[str, str]) -> dict:
    """The resource's `tagsAll` as pulumi-aws's Check computes it (provider/tags.go `mergeTags`:
    `defaultTags.MergeTags(resourceTags).IgnoreConfig(ignoredTags)`): the provider's default tags, the
    resource's `tags` over them, without the keys and key prefixes `ignoreTags` names. `tags` is in wire form;
    its secrets count as their values (the engine gives Check none). Raises Unknown where the tags or the
    provider's settings hold an unknown, as the provider's merge gives an unknown then."""
    defaults = provider_setting(provider, config, "defaultTags")
    ignore = provider_setting(provider, config, "ignoreTags")
    merged = {**_tag_map(defaults.get("tags") if isinstance(defaults, Mapping) else None),
              **_tag_map(_wire_plain(tags))}
    ignore = ignore if isinstance(ignore, Mapping) else {}
    keys = {str(k) for k in ignore.get("keys") or []}
    prefixes = tuple(str(p) for p in ignore.get("keyPrefixes") or ())
    return {k: v for k, v in merged.items() if k not in keys and not k.startswith(prefixes)}


# --------------------------------------------------------------------------------------------------
# The SDK's view of the provider's schema
# --------------------------------------------------------------------------------------------------


_SDK_OUTPUTS: dict[str, Mapping[str, Any]] = {}
_SDK_CLASSES: dict[str, type] = {}


def sdk_class(type_token: str) -> Optional[type]:
    """The SDK's resource class for a type, found as the SDK finds one for a resource reference: the module its
    package registers for the type's module (`pulumi.runtime.rpc.get_resource_module`). None for a type no loaded
    package registers (yet: only what is found is kept)."""
    if type_token in _SDK_CLASSES:
        return _SDK_CLASSES[type_token]
    parts = type_token.split(":")
    if len(parts) != 3:
        return None
    module = rpc.get_resource_module(parts[0], parts[1], "")
    info = getattr(module, "mod_info", None)  # the generated SDKs' `_utilities.Module`
    class_name = info.get("classes", {}).get(type_token) if isinstance(info, Mapping) else None
    if class_name is None:
        return None
    resource_class = getattr(importlib.import_module(info["fqn"]), class_name, None)
    if not isinstance(resource_class, type):
        return None
    _SDK_CLASSES[type_token] = resource_class
    return resource_class


def sdk_outputs(type_token: str) -> Mapping[str, Any]:
    """The output properties of a resource type and their Python types, as the SDK's resource class declares them
    (`pulumi._types.resource_types`, which the SDK reads to resolve the resource's outputs): {} for a type no
    loaded package registers (yet: only what is found is kept)."""
    if type_token in _SDK_OUTPUTS:
        return _SDK_OUTPUTS[type_token]
    resource_class = sdk_class(type_token)
    if resource_class is None:
        return {}
    outputs = _SDK_OUTPUTS[type_token] = dict(_types.resource_types(resource_class))
    return outputs


def has_tags_all(type_token: str) -> bool:
    """Whether pulumi-aws computes the type's `tagsAll` (a resource with `tags` and `tags_all`)."""
    outputs = sdk_outputs(type_token)
    return type_token.startswith("aws:") and "tags" in outputs and "tagsAll" in outputs


_TEXT_OUTPUTS: dict[str, frozenset[str]] = {}


def text_outputs(type_token: str) -> frozenset[str]:
    """The output properties the SDK types as text (`str`), as it checks them when the resource's outputs resolve."""
    if type_token not in _TEXT_OUTPUTS:
        outputs = sdk_outputs(type_token)
        if not outputs:
            return frozenset()
        _TEXT_OUTPUTS[type_token] = frozenset(name for name, python_type in outputs.items() if python_type is str)
    return _TEXT_OUTPUTS[type_token]
