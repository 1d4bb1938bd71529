"""AWS IoT Core policies, the permissions attached to device certificates: judged on their document, as IoT Device
Defender's audit judges them (IOT_POLICY_OVERLY_PERMISSIVE_CHECK): a device's data-plane actions on every client id,
topic, topic filter or thing, rather than its own."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from pulumi_policy import ResourceValidationArgs, Severity

from ..core.props import (UNKNOWN, all_of, any_of, arn_account, arn_region, as_list, cannot_judge, iam_like,
                          in_words, is_map, is_present, peek, peek_items)
from ..core.registry import resource_policy
from ..core.stack import region_of
from ..iam.documents import NAMING_OPERATORS, Statement, condition_entries, is_pattern, statements
from . import POLICY

# The data-plane actions a device takes, and the kind of resource each names (AWS IoT Core's policy actions): its
# connection, its messages (retained ones too), its subscriptions, its shadows and its jobs.
_DEVICE_ACTIONS = {
    "iot:Connect": "client", "iot:Publish": "topic", "iot:Receive": "topic", "iot:RetainPublish": "topic",
    "iot:GetRetainedMessage": "topic", "iot:Subscribe": "topicfilter", "iot:GetThingShadow": "thing",
    "iot:UpdateThingShadow": "thing", "iot:DeleteThingShadow": "thing", "iot:DescribeJobExecution": "thing",
    "iot:GetPendingJobExecutions": "thing", "iot:StartNextPendingJobExecution": "thing",
    "iot:UpdateJobExecution": "thing",
    # Actions on another client's connection, named by its client id: iot:DeleteConnection disconnects it,
    # iot:SendDirectMessage (direct messaging) delivers a message to it on any topic it may receive. A condition tying
    # the client id the device connects as (iot:ClientId) leaves these open.
    "iot:DeleteConnection": "peer", "iot:SendDirectMessage": "peer"}
_KIND_NAMES = {"client": "client id", "topic": "topic", "topicfilter": "topic filter", "thing": "thing",
               "peer": "client id"}
# The resource type in a kind's ARNs, where it is not the kind itself.
_RESOURCE_TYPES = {"peer": "client"}
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
# Two names no scoped pattern takes both of, one of them several levels deep.
_PROBES = ("zq9-probe-device", "other-fleet/x7/deep")


# What `_bound` fills a policy variable naming the device's own with (its thing's name, its certificate's id).
_OWN = "the-own-device"


# An exclusion must leave out these too to leave out every name: a short one, beside the two long ones that a
# pattern such as `client/*-*` happens to take.
_SHORT_PROBE = "7"


def _bound(resource: str, *, client_id: Optional[str] = None) -> str:
    """The Resource with its policy variables as a device fills them: `${iot:ClientId}` is whatever client id the
    device sends (any: `*`), every other one (the thing's name, the certificate's id) the device's own. In a
    NotResource entry `${iot:ClientId}` is the one client id the device connects as (`client_id`): an exclusion
    takes out only the value the device fills in, so it leaves every other topic, while `client/${iot:ClientId}`
    (or `client/${iot:ClientId}*`) leaves out whichever client id the device connects as."""
    def fill(variable: re.Match) -> str:
        if variable.group(1).strip().lower() == "iot:clientid":
            return "*" if client_id is None else client_id
        return _OWN
    return _VARIABLE.sub(fill, resource)


def _taken(resource: Any, kind: str, *, excluded: bool = False) -> tuple[bool, ...]:
    """Which probe ARNs of the kind a Resource (or, `excluded`, NotResource) entry takes, its variables filled by
    `_bound`: one per `_PROBES` name (and, in an exclusion, `_SHORT_PROBE`), then for a topic filter `#` (literal in
    a policy: every topic); each in the entry's own region and account where it names them. In an exclusion a
    variable there is the device's own, which need not be the policy's region or account: another one is probed.
    A client probe is the id the device connects as, which an exclusion's `${iot:ClientId}` is; a peer probe (another
    client's connection) is not."""
    if not isinstance(resource, str):
        return ()
    names = [*_PROBES, *([_SHORT_PROBE] if excluded else []), *(["#"] if kind == "topicfilter" else [])]
    return tuple(_probe(_bound(resource, client_id=None if not excluded else name if kind == "client" else _OWN),
                        kind, name, excluded=excluded) for name in names)


def _probe(pattern: str, kind: str, name: str, *, excluded: bool = False) -> bool:
    """Whether a Resource (or, `excluded`, NotResource) pattern, its variables filled, takes the ARN of the kind's
    resource `name`, in the pattern's own region and account where it names them (`_taken`)."""
    parts = (pattern.split(":", 5) + [""] * 6)[:6]
    region, account = (part if part and not any(c in part for c in "*?") and not (excluded and _OWN in part)
                       else default for part, default in ((parts[3], "us-east-1"), (parts[4], "123456789012")))
    return iam_like(f"arn:aws:iot:{region}:{account}:{_RESOURCE_TYPES.get(kind, kind)}/{name}", pattern)


# The topics AWS IoT Core reserves for each thing (`$aws/things/<thing>/shadow/...`, `.../jobs/...`,
# `.../tunnels/notify`): publishing or receiving on another thing's reads and changes its shadow and jobs, as the
# shadow and job actions on its `thing/` ARN do, or takes the access token of a tunnel opened to it. Two things'
# names in one of them are every thing's; in a topic filter, `+` and `#` are literal in a policy, so
# `$aws/things/+/shadow/update` is every thing's subscription. Besides these, each pattern is probed with its own
# tail after the thing's name (`.../shadow/update/accepted`, a named shadow's), its wildcards filled in.
_THINGS = "$aws/things/"
_THING_TOPICS = ("shadow/update", "shadow/get", "shadow/delete", "shadow/update/delta", "shadow/name/zq9/update",
                 "jobs/get", "jobs/notify-next", "jobs/start-next", "jobs/zq9-job/update", "tunnels/notify")
_PROBE_THINGS = ("zq9-probe-device", "other-thing-x7")
_THING_FILTERS = (f"{_THINGS}#", f"{_THINGS}+/#", f"{_THINGS}+/shadow/#", f"{_THINGS}+/jobs/#")


def _own_tail(pattern: str, kind: str) -> list[str]:
    """What follows the thing's name in a pattern of a thing's reserved topics (`topic/$aws/things/<thing>/<tail>`),
    its wildcards filled with literal text: a topic the pattern takes, whoever's it is; none for another pattern."""
    name = pattern.split(":", 5)[-1]
    if not name.startswith(f"{kind}/{_THINGS}"):
        return []
    _, slash, tail = name[len(f"{kind}/{_THINGS}"):].partition("/")
    return [re.sub(r"[*?]", "z", tail)] if slash and tail else []


def _every_thing(resource: Any, kind: str) -> bool:
    """Whether a Resource entry of a topic or topic filter takes every thing's reserved topics: one of them (the
    usual ones, or its own tail's) for two unrelated things, or in a topic filter for the literal `+` or `#`."""
    if kind not in ("topic", "topicfilter") or not isinstance(resource, str):
        return False
    pattern = _bound(resource)
    tails = [*_THING_TOPICS, *_own_tail(pattern, kind)]
    filters = [*_THING_FILTERS, *(f"{_THINGS}+/{tail}" for tail in tails)] if kind == "topicfilter" else []
    return (any(all(_probe(pattern, kind, f"{_THINGS}{thing}/{tail}") for thing in _PROBE_THINGS) for tail in tails)
            or any(_probe(pattern, kind, name) for name in filters))


def _every(taken: tuple[bool, ...]) -> bool:  # a Resource entry's probes: the two names, then `#`
    """Whether the probes a statement grants (`_taken` by a Resource entry, or left out by every NotResource one) are
    every resource of the kind: both unrelated names, or a subscription's `#` filter."""
    return bool(taken) and (all(taken[:len(_PROBES)]) or any(taken[len(_PROBES):]))


def _every_but(excluded: list[str], kind: str) -> bool:
    """Whether an Allow with these NotResource entries takes every resource of the kind: AWS grants every resource
    but those listed (IAM's "NotResource" element), so it does unless one entry leaves out every resource of the
    kind (`client/*`, `*`). Entries that each leave out some names (`client/zq9*`, `client/o*`) still grant nearly
    every other, whichever probes they happen to take."""
    return not any(all(_taken(entry, kind, excluded=True)) for entry in excluded)


# The region and account a policy's devices connect in (None: unknown, any).
_Place = tuple[Optional[str], Optional[str]]


def _place(args: ResourceValidationArgs) -> _Place:
    """The policy's region (its ARN's, else its provider's) and account (its ARN's), None where unknown."""
    arn = peek(args.props, "arn")
    region = arn_region(arn) or region_of(args)
    return region if isinstance(region, str) else None, arn_account(arn)


def _here(entry: str, place: _Place, *, surely: bool = False) -> bool:
    """Whether a Deny's Resource entry, or an Allow's NotResource entry, may name the policy's own resources (`surely`:
    does, where a Deny's NotResource entry would spare them): an ARN's region and account, where it writes them out,
    are the policy's (where known; unknown, they may be, not surely are). IoT evaluates a policy in its own region and
    account, so a Deny of another's client ids or topics takes nothing from its devices, and a NotResource entry of
    another's spares (or, in an Allow, leaves out) none of them."""
    parts = (entry.split(":", 5) + [""] * 6)[:6]
    return all(not named or any(c in named for c in "*?$") or (own is None and not surely) or named == own
               for named, own in zip(parts[3:5], place))


def _takes_every(raw: Any, kind: str, place: _Place) -> Optional[str]:
    """What a statement's Resource entries (or the known entries of its NotResource list) take of the kind, in words
    for a finding: every resource of it (its name in `_KIND_NAMES`), every thing's reserved topics or topic filters,
    or None for neither."""
    if is_present(raw, "NotResource"):
        # An entry of another region or account leaves out none of the policy's own resources; one whose account a
        # first preview cannot tell may (`_here`).
        excluded = [entry for entry in peek_items(raw, "NotResource") if entry is not UNKNOWN and _here(entry, place)]
        return _KIND_NAMES[kind] if _every_but(excluded, kind) else None
    return _resources_take_every(as_list(raw.get("Resource")), kind)


def _resources_take_every(resources: list, kind: str) -> Optional[str]:
    """`_takes_every` for Resource entries."""
    if any(_every(_taken(resource, kind)) for resource in resources):
        return _KIND_NAMES[kind]
    return f"thing's reserved {_KIND_NAMES[kind]}" if any(_every_thing(r, kind) for r in resources) else None


# Condition keys (lower case) that name one device: its thing's name and its certificate's own identity (AWS IoT
# Core's thing and X.509 certificate policy variables); not the issuer's fields, which a whole CA's devices share,
# nor the subject's organization, country and the like, a thing's type or attributes, or IsAttached, which hold
# for a fleet.
_DEVICE_KEYS = frozenset({"iot:connection.thing.thingname", "iot:certificateid", "iot:certificate.serialnumber",
                          "iot:certificate.subject.commonname", "iot:certificate.subject.serialnumber"})
_DEVICE_KEY_PREFIXES = ("iot:certificate.subject.alternativename.",)
_CLIENT_KEY = "iot:clientid"


def _device_key(key: str) -> bool:
    return key in _DEVICE_KEYS or key.startswith(_DEVICE_KEY_PREFIXES)


def _variables(value: Any, operator: str) -> Optional[frozenset[str]]:
    """The policy variables (lower case) of a condition value that is one name once a device fills them in: none for
    a fixed name, `{"iot:clientid"}` for the client id it sends, a thing's or certificate's for its own; None for a
    pattern (a wildcard around them where the operator takes one: `${iot:Connection.Thing.ThingName}*` takes another
    device's name too) and for no text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return frozenset()
    if not isinstance(value, str) or not value.strip():
        return None
    text = _VARIABLE.sub("", value)
    if "${" in text or is_pattern(text, operator):
        return None
    return frozenset(v.group(1).strip().lower() for v in _VARIABLE.finditer(value))


def _ties(operator: str, key: str, values: list) -> Optional[frozenset[str]]:
    """The kinds of resource one Condition entry ties to one device (`_narrowed`), its operator without a
    `ForAnyValue:` prefix; None where a value unknown until the update may tie any."""
    if operator not in NAMING_OPERATORS or not values or not (key == _CLIENT_KEY or _device_key(key)):
        return frozenset()
    if UNKNOWN in values:
        return None
    names = [_variables(value, operator) for value in values]
    if None in names:
        return frozenset()  # a pattern names no one device
    if _device_key(key) and not any(names):  # fixed names
        return frozenset(_KIND_NAMES)
    if key == _CLIENT_KEY and all(_device_key(v) for n in names for v in n):  # fixed, or the device's own name
        return frozenset({"client"})
    if _device_key(key) and all(n == {_CLIENT_KEY} for n in names):  # the tie written the other way
        return frozenset({"client"})
    return frozenset()


def _narrowed(statement: Any) -> frozenset[str]:
    """The kinds of resource a statement's Condition ties to one device: every kind where an entry, under an operator
    that names values (StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals, ArnLike, a `ForAnyValue:` prefix
    allowed), compares a key naming one device (`_DEVICE_KEYS`) with fixed names only (`_variables`: that device, or
    the few it names); the client kind alone where `iot:ClientId` is compared with fixed names or the device's own
    name, or a key naming one device with `${iot:ClientId}` (with fixed text): that ties the client id the device
    connects as, not the topics or things it then reaches. Every kind when the Condition or a block of it is unknown,
    or an entry that could tie it has a value unknown until the update (it may, and what a finding would list waits
    with it). Negations, IfExists, ForAllValues:, Null and Bool name no one; a device key compared with the device's
    own variable compares the device with itself."""
    entries = condition_entries(peek(statement.raw, "Condition"))
    if entries is None:
        return frozenset(_KIND_NAMES)
    kinds: set[str] = set()
    for operator, key, values in entries:
        tied = _ties(operator.removeprefix("foranyvalue:"), key, values)
        if tied is None:  # may name one device, or tie the client id: the text waits for the update too
            return frozenset(_KIND_NAMES)
        kinds |= tied
    return frozenset(kinds)


# A Deny under a negation of a naming operator denies every device but the ones the operator would name.
_NEGATIONS = {"stringnotequals": "stringequals", "stringnotequalsignorecase": "stringequalsignorecase",
              "stringnotlike": "stringlike"}


def _deny_ties(raw: Any, kind: str) -> Optional[bool]:
    """Whether a Deny's Condition leaves the kind to one device: none (it always applies), or every entry a negation
    that, as its naming operator, ties the kind (`_ties`: StringNotEquals iot:ClientId
    `${iot:Connection.Thing.ThingName}` denies every other client id; IfExists too, which denies where the key is
    missing as well). A Deny applies only where each of its entries holds, so any other entry leaves the rest to the
    Allow. None where the Condition, a block of it or a value that decides it is unknown until the update."""
    entries = condition_entries(peek(raw, "Condition"))
    if entries is None:
        return None
    answers = []
    for operator, key, values in entries:
        positive = _NEGATIONS.get(operator.removesuffix("ifexists"))
        tied = _ties(positive, key, values) if positive else frozenset()
        answers.append(None if tied is None else kind in tied)
    return all_of(answers)


def _deny_resources(raw: Any, kind: str, place: _Place) -> Optional[bool]:
    """Whether a Deny's resources leave the device only its own of the kind: a Resource entry of the policy's `place`
    (`_here`) takes every one of them (read as an Allow's NotResource entry that leaves out every one, `_every_but`:
    `*`, `client/*`, or `client/${iot:ClientId}`, the client id the device connects as), or the NotResource entries it
    spares there take only some (`_resources_take_every`: the device's own, by policy variable). None where an entry
    unknown until the update decides it."""
    if is_present(raw, "NotResource"):
        kept = peek_items(raw, "NotResource")
        # What it spares in another region or account (or one a first preview cannot tell) spares none of its devices.
        spared = [entry for entry in kept if isinstance(entry, str) and _here(entry, place, surely=True)]
        if _resources_take_every(spared, kind):
            return False
        return None if UNKNOWN in kept else True
    denied = peek_items(raw, "Resource")
    if not _every_but([entry for entry in denied if isinstance(entry, str) and _here(entry, place)], kind):
        return True
    return None if UNKNOWN in denied else False


def _well_formed(entries: list) -> bool:
    """Whether a Resource or NotResource list is one AWS takes (IAM's policy grammar: `*` or one string or more), an
    entry unknown until the update counting as a string."""
    return bool(entries) and all(isinstance(entry, str) or entry is UNKNOWN for entry in entries)


def _denied(deny: Statement, action: str, place: _Place) -> Optional[bool]:
    """Whether a Deny statement leaves the device only its own resources for one of its actions: it covers the action,
    its resources and its Condition leave the action's kind to the device. An explicit Deny overrides any Allow (AWS
    IoT Core policies are evaluated as IAM's). None where a part unknown until the update may."""
    resources = peek_items(deny.raw, "NotResource" if is_present(deny.raw, "NotResource") else "Resource")
    condition = peek(deny.raw, "Condition")
    if not _well_formed(resources) or (condition is not None and condition is not UNKNOWN and not is_map(condition)):
        return False  # CreatePolicy refuses such a document (MalformedPolicyException): it takes nothing away
    kind = _DEVICE_ACTIONS[action]
    return all_of([deny.grants(action), _deny_resources(deny.raw, kind, place), _deny_ties(deny.raw, kind)])


@resource_policy(
    "iot-policy-not-overly-permissive", POLICY,
    description="AWS IoT policies must not let a device connect as any client id, or use every topic, topic filter "
                "or thing's shadows and jobs: one stolen device certificate would then act as every device and read "
                "or command them all.",
    severity=Severity.HIGH,
    anchors=("IoT Device Defender audit IOT_POLICY_OVERLY_PERMISSIVE_CHECK",),
)
def not_overly_permissive(args: ResourceValidationArgs) -> Iterator[str]:
    """no Allow statement of the policy document takes a device's data-plane actions (iot:Connect; iot:Publish, Receive,
    RetainPublish, GetRetainedMessage; iot:Subscribe; the thing shadow and job execution actions; iot:DeleteConnection
    and iot:SendDirectMessage, on another client's connection; or a wildcard of them, `iot:*`) on every client id,
    topic, topic filter (`#` too) or thing: `*`, `.../client/*`, or any pattern that takes two unrelated names, or every
    thing's reserved topics (`$aws/things/*/shadow/update`, `.../tunnels/notify`, and in a topic filter a literal `+` or
    `#` there: any two things' names), policy variables filled in as a device fills them (`${iot:ClientId}` is any
    client id the device sends, a thing's name or certificate's id its own); nor has a NotResource (every resource but
    those listed) that has no entry leaving out every name of the kind in the policy's region and account (`client/*`,
    `*`; another region's or account's leaves out none), a policy variable there excluding only the device's own value
    (`${iot:ClientId}` the client id it connects as). A Condition narrows a statement only where an entry, under an
    operator that names values (StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals, ArnLike, `ForAnyValue:`
    allowed; not IfExists, ForAllValues:, negations, Null or Bool), compares a key naming one device
    (iot:Connection.Thing.ThingName, iot:CertificateId, iot:Certificate.SerialNumber,
    iot:Certificate.Subject.CommonName, SerialNumber or AlternativeName.*) with fixed names only (the device's own
    variable there compares it with itself), which ties every kind to the devices named; or iot:ClientId with fixed
    names or the device's own name (a variable of those keys, such as `${iot:Connection.Thing.ThingName}`, with no
    wildcard around it; not `${iot:ClientId}`, nor a thing type's, attribute's or issuer's variable, which a fleet
    shares), or a key naming one device with `${iot:ClientId}`, which ties only the client id it connects as, not the
    topics, things or other clients' connections it then reaches. Any other key (iot:Connection.Thing.IsAttached,
    ThingTypeName or Attributes[...], the certificate issuer's fields, aws:SecureTransport) holds for a whole fleet and
    narrows nothing. A Deny statement (which overrides any Allow) narrows the actions it covers where it has no
    Condition, or only negations (StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, IfExists allowed) of
    entries that would narrow them (iot:ClientId not `${iot:Connection.Thing.ThingName}`), and its Resource takes every
    resource of their kind in the policy's region and account or its NotResource (what it spares there) only the
    device's own; a Deny AWS refuses (an empty Resource or NotResource, an entry that is not a string, a Condition that
    is not an object) narrows nothing. An unknown Condition block or a value unknown in an entry that could narrow, and
    unknown documents, are not judged; a Condition unknown as a whole, an unknown NotResource entry where the known ones
    leave names of the kind, and a Deny with a part unknown that may narrow, wait for the update, unless another
    statement is broad"""
    document = peek(args.props, "policy")
    if document is UNKNOWN:
        return
    read = statements(document, f"IoT policy {args.name}")
    place = _place(args)
    # Per Deny and device action, whether it leaves the device only its own resources (None: it may, once known).
    denies = [(deny, {action: _denied(deny, action, place) for action in _DEVICE_ACTIONS})
              for deny in read if deny.effect == "Deny"]
    denied = {action: any_of(verdicts[action] for _, verdicts in denies) for action in _DEVICE_ACTIONS}
    undecided: Optional[tuple[str, ...]] = None  # the path of an unknown that may narrow a broad statement
    found = False
    for statement in read:
        raw = statement.raw
        if statement.effect != "Allow" or not is_map(raw):
            continue
        # A Condition unknown as a whole may tie it to one device: a broad statement under it waits (below).
        unknown_condition = peek(raw, "Condition") is UNKNOWN
        narrowed = frozenset() if unknown_condition else _narrowed(statement)
        excluded = peek_items(raw, "NotResource") if is_present(raw, "NotResource") else None
        if excluded is not None and not _well_formed(excluded):
            continue
        covered = [(action, kind) for action, kind in _DEVICE_ACTIONS.items()
                   if kind not in narrowed and denied[action] is not True and statement.covers_action(action)]
        every = {kind: _takes_every(raw, kind, place) for kind in {kind for _, kind in covered}}  # once per kind
        broad = [action for action, kind in covered if every[kind]]
        # A NotResource entry unknown until the update may leave out the rest: only what the known ones already
        # leave out is judged (not broad); the rest waits, as a broad statement under an unknown Condition does.
        if broad and (unknown_condition or (excluded is not None and UNKNOWN in excluded)):
            undecided = undecided or ("Statement", str(statement.index),
                                      "Condition" if unknown_condition else "NotResource")
            continue
        # So does one that a Deny with a part unknown until the update may narrow.
        waiting = next((deny for deny, verdicts in denies if any(verdicts[a] is None for a in broad)), None)
        if waiting is not None:
            undecided = undecided or ("Statement", str(waiting.index))
            continue
        if broad:
            found = True
            kinds = list(dict.fromkeys(every[_DEVICE_ACTIONS[action]] for action in broad))
            named = in_words(kinds)
            but = " but those it lists (NotResource)" if excluded is not None else ""
            actions = (", ".join(broad) if len(broad) <= 4
                       else f"{', '.join(broad[:3])} and {len(broad) - 3} more device actions")
            keys = statement.condition_keys if statement.conditional else None
            under = f" under a Condition ({', '.join(keys)}) that ties them to no one device" if keys else ""
            # Actions on other clients' connections alone disconnect or message them; the others act as them.
            acts = ("may disconnect or message every other" if all(_DEVICE_ACTIONS[a] == "peer" for a in broad)
                    else "may act as every other")
            yield (f"{statement.label} allows {actions} on every {named}{but}{under}: a device holding any certificate "
                   f"it is attached to {acts}; scope the resources with policy variables such as "
                   "${iot:Connection.Thing.ThingName} (not ${iot:ClientId}, which the device chooses)")
    if undecided is not None and not found:
        cannot_judge("policy", *undecided)
