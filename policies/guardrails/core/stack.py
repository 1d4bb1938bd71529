"""Stack policies: linking resources without relying on ARNs or IDs (unknown during a first preview).

A stack policy answers "does anything provide X for this resource?" with three values: True, False and
None ("can't tell during preview"). It reports a missing link only when nothing might provide it.
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Callable, Iterable, Iterator, Optional

from .props import (UNKNOWN, all_of, arn_account, arn_region, as_list, dig, is_map, json_object, num, peek,
                    peek_items, unless_unknown)


def of_type(resources: Iterable[Any], *resource_types: str) -> list:
    """The resources of the given types, in the stack's order."""
    index = _type_index(resources)
    if index is None:
        return [r for r in resources if r.resource_type in resource_types]
    if len(resource_types) == 1:
        return [r for _, r in index.get(resource_types[0], ())]
    found = [pair for t in set(resource_types) for pair in index.get(t, ())]
    return [r for _, r in sorted(found, key=lambda pair: pair[0])]


def _indexed(items: Iterable[Any], key: Any, build: Callable[[list], Any]) -> Any:
    """`build(items)` for a stack-sized list, built once and kept on its first item (as `_names` keeps a
    target's names) with a copy of the list: stack policies ask per resource they check, which made a large
    stack quadratic. Reused only for an identical list (identities compared element by element, in C). None
    for short or other sequences, which callers scan."""
    if not isinstance(items, list) or len(items) < 32 or not hasattr(items[0], "__dict__"):
        return None
    memo = vars(items[0]).setdefault("_guardrails_indexes", {})
    cached = memo.get(key)
    if cached is None or cached[0] != items:
        cached = memo[key] = (list(items), build(items))
    return cached[1]


def once_per_stack(items: list, key: Any, build: Callable[[list], Any]) -> Any:
    """`build(items)`, worked out once for a stack-sized list that several stack policies ask about (`_indexed`),
    and afresh for any other. `build` must not return None."""
    found = _indexed(items, key, build)
    return build(items) if found is None else found


def _type_index(resources: Iterable[Any]) -> Optional[dict[str, list]]:
    """The stack's resources by type, with their positions."""
    def build(items: list) -> dict[str, list]:
        index: dict[str, list] = {}
        for position, resource in enumerate(items):
            index.setdefault(resource.resource_type, []).append((position, resource))
        return index
    return _indexed(resources, "types", build)


# An explicit provider's settings that sign it in with credentials of its own (pulumi-aws's Provider, whose inputs
# are terraform-provider-aws's provider block): static keys, shared credentials or config files, web identity. Each may
# be another account's; Pulumi's multiple-providers docs switch accounts with `profile`.
_CREDENTIALS = ("accessKey", "secretKey", "token", "sharedCredentialsFiles", "sharedConfigFiles",
                "assumeRoleWithWebIdentity")
# The engine's default provider for a package: `default`, `default_<version>` (providers.DefaultName).
_DEFAULT_PROVIDER = re.compile(r"^default(_|$)")
# The provider inputs that are lists or objects: they reach the analyzer as JSON text (the SDK's `to_json`).
_STRUCTURED = ("allowedAccountIds", "assumeRoles", "assumeRoleWithWebIdentity", "sharedCredentialsFiles",
               "sharedConfigFiles")


def _setting(provider: Any, key: str) -> Any:
    """A provider's input, JSON text decoded for a list or object; UNKNOWN when unknown."""
    value = peek(provider.props, key)
    return json_object(value) if key in _STRUCTURED and value is not UNKNOWN else value


def _role_account(role: Any) -> Optional[str]:
    """The account of a role block's known ARN (`roleArn`, or `role_arn` as a plain dict is written)."""
    return arn_account((dig(role, "roleArn") or dig(role, "role_arn")) if is_map(role) else None)


def _number_as_text(value: Any) -> Any:
    """A provider setting as the provider reads it: a number as its text (an account id or a profile named by digits,
    written unquoted in YAML, reaches the provider as a number; the wire may make it a float, 1.0), else as given."""
    return str(num(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _provider_account(provider: Any) -> Any:
    """Which account a resource is written in, as far as the stack tells. For an explicit provider: its
    `allowedAccountIds` when they name exactly one (the provider refuses any other); else the last role it assumes
    (`assumeRoles`, then `assumeRoleWithWebIdentity`), that role's account or, when its ARN does not tell, the
    provider itself; else, with static keys, the provider itself; else its `profile` (with the files it is read
    from: one profile name in other files is another); else the provider itself for any other credential
    setting. With none of these, for the engine's default provider (whose `allowedAccountIds` pin the ambient
    credentials an explicit provider without its own uses too) and for no provider, the default credentials'
    account. UNKNOWN when a setting that decides is unknown."""
    if provider is None:
        return ("default account",)
    allowed = _setting(provider, "allowedAccountIds")
    if allowed is UNKNOWN:
        return UNKNOWN
    allowed = [a for a in map(_number_as_text, as_list(allowed)) if isinstance(a, str)]
    if len(allowed) == 1 and not _DEFAULT_PROVIDER.match(str(provider.name)):
        return account_key(allowed[0])
    itself = ("provider", provider.name)
    for key in ("assumeRoles", "assumeRoleWithWebIdentity"):
        roles = _setting(provider, key)
        if roles is UNKNOWN:
            return UNKNOWN
        if roles:  # roles are assumed in turn: the last one's account is where it writes
            account = _role_account(as_list(roles)[-1])
            return account_key(account) if account else itself
    settings = {key: _setting(provider, key) for key in ("profile", *_CREDENTIALS)}
    if UNKNOWN in settings.values():
        return UNKNOWN
    if settings["accessKey"]:
        return itself
    profile = _number_as_text(settings["profile"])
    if profile and not isinstance(profile, str):
        return itself  # a map or list names no profile (nor would hash): it may be any account
    if profile:
        files = tuple(json.dumps(settings[k], sort_keys=True) for k in ("sharedCredentialsFiles", "sharedConfigFiles"))
        return ("profile", profile, files)
    return itself if any(settings[key] for key in _CREDENTIALS) else ("default account",)


def account_key(account_id: str) -> tuple[str, str]:
    """How `account_of` names an account known by its id: the form a family compares its own ids with."""
    return ("account", account_id)


def account_of(resource: Any) -> Any:
    """Which account the resource is written in, as far as the stack tells (`_provider_account` of its provider)."""
    return _provider_account(getattr(resource, "provider", None))


def same_account(a: Any, b: Any) -> Optional[bool]:
    """Whether two `account_of` answers are one account: None when either is unknown or not a known account id
    (a provider's own credentials, a profile, the default credentials may be any)."""
    if a is UNKNOWN or b is UNKNOWN:
        return None
    if a == b:
        return True
    return False if a[0] == b[0] == "account" else None


def region_of(resource: Any) -> Any:
    """Where the resource lives: its own `region` (pulumi-aws 7), else its provider's (an explicit one, or the
    engine's default for the package, whose inputs are the stack's config); a region's name. Where the stack does
    not name it, the provider itself stands for its region: ("provider", name), or ("default provider",) where the
    analyzer was given none. UNKNOWN when unknown, and where a map, list or number stands for the name (no region
    AWS knows: which one the resource lands in cannot be told)."""
    region = _region_name(peek(resource.props, "region"))
    if region is UNKNOWN or region:
        return region
    provider = getattr(resource, "provider", None)
    if provider is None:
        return ("default provider",)
    region = _region_name(peek(provider.props, "region"))
    return region if region is UNKNOWN or region else ("provider", provider.name)


def _region_name(region: Any) -> Any:
    """A `region` setting as `region_of` reads it: text or None as given, UNKNOWN for anything else."""
    return region if region is None or isinstance(region, str) else UNKNOWN


def same_region(a: Any, b: Any) -> Optional[bool]:
    """Whether two `region_of` answers are one region: None when either is unknown, or when one is a provider's
    unnamed region (it may be the other's)."""
    if a is UNKNOWN or b is UNKNOWN:
        return None
    if a == b:
        return True
    return False if isinstance(a, str) and isinstance(b, str) else None


def place_of(resource: Any) -> tuple:
    """Which account's which region the resource lives in (`account_of`, `region_of`): where AWS looks up what it
    names by name, and what an account setting of that region covers."""
    return account_of(resource), region_of(resource)


def same_place(a: Any, b: Any) -> Optional[bool]:
    """Whether two resources live in one account's one region (`place_of`): False when their accounts (known ids)
    or regions (known names) differ, None when either may, else True."""
    return _one_place(place_of(a), place_of(b))


def _one_place(a: tuple, b: tuple) -> Optional[bool]:
    return all_of([same_account(a[0], b[0]), same_region(a[1], b[1])])


def elsewhere(a: Any, b: Any) -> bool:
    """Whether two resources are known to live in two places: two regions, or two accounts (`same_place`)."""
    return same_place(a, b) is False


def _by_arn_across_accounts(values: set, unknown: bool, linked: bool, target: Any) -> Optional[bool]:
    """Whether a holder in another account than `target` names it by `values`: only by its ARN (or a form of it AWS
    takes, `_arn_aliases`), as AWS takes some calls across accounts (RotateSecret, PutResourcePolicy), where a name or
    an id is looked up in the caller's own; None while a value made from it (`linked`), or its ARN, is unknown until
    the update."""
    arn = peek(target.props, "arn")
    if isinstance(arn, str) and not values.isdisjoint({arn, *_arn_aliases(target)}):
        return True
    return None if linked and (unknown or arn is UNKNOWN) else False


# The other forms of a resource's ARN its service takes for it, per type (the known ARN to another form, or None):
# each family registers its own types' (`register_arn_alias`). Importing the `guardrails` package imports every family
# before any policy runs.
_ARN_ALIASES: dict[str, Callable[[Any], Optional[str]]] = {}


def register_arn_alias(resource_type: str, alias: Callable[[Any], Optional[str]]) -> None:
    """Match a resource of `resource_type` by `alias(arn)` too: another form of its known ARN its service takes."""
    _ARN_ALIASES[resource_type] = alias


def _arn_aliases(target: Any) -> set:
    """The other forms of the target's known ARN its service takes for it (`register_arn_alias`)."""
    alias = _ARN_ALIASES.get(target.resource_type)
    found = alias(peek(target.props, "arn")) if alias is not None else None
    return {found} if found else set()


def linked(resource: Any) -> list:
    """Every resource `resource` points at: parent, dependencies and property dependencies."""
    found = [resource.parent] if resource.parent is not None else []
    found += resource.dependencies
    found += [d for deps in resource.property_dependencies.values() for d in deps]
    return found


def linked_of_type(resource: Any, resource_type: str) -> set[str]:
    """URNs of the resources of `resource_type` that `resource` points at."""
    return {r.urn for r in linked(resource) if r.resource_type == resource_type}


def prop(resource: Any, *path: str | int) -> Any:
    """A stack resource's prop, or None when missing or unknown during preview (for matching only)."""
    return unless_unknown(dig, resource.props, *path)


def covering(candidates: Iterable[Any], target: Any, matches: Callable[[Any, Any], Optional[bool]]):
    """The candidates that point at `target`, and whether any other might (it depends on an unknown).

    `matches(candidate, target)` answers True, False or None ("can't tell during preview").
    """
    found, maybe = [], False
    for candidate in candidates:
        answer = matches(candidate, target)
        if answer:
            found.append(candidate)
        elif answer is None:
            maybe = True
    return found, maybe


def links_to(resource: Any, target: Any, prop_name: Optional[str] = None) -> bool:
    """Whether `resource` depends on `target`: through `prop_name`'s property dependencies when given, as far as its
    value says (`link_state`), else through any dependency, property dependency or parent link."""
    if prop_name is not None:  # asked of one reference (a task's family, a rule's group, a table's name)
        return link_state(resource, target, prop_name) is True
    return any(d.urn == target.urn for d in linked(resource))


def link_state(resource: Any, target: Any, prop_name: str, values: Optional[Iterable[Any]] = None,
               keys: Iterable[str] = ("id", "arn", "name"), *, many: bool = False) -> Optional[bool]:
    """Whether `resource`'s `prop_name` is made from `target`: False without a property dependency on it, or where
    its value, known, names another of the resources it depends on and not it (`_chose_another`); None where its
    values are each one reference (a scalar prop's, or the items of a list prop, `many`, that is known), unknown, and
    may each be any of several of the target's type (`_one_of_several`); else True. `values` are the prop's (its
    strings, read with `peek`, when not given; a block's are not read, and its dependencies decide). An unknown list
    may hold every one it is made from, and a block's dependencies are all its entries': there the dependencies
    decide."""
    deps = resource.property_dependencies.get(prop_name, [])
    if not any(d.urn == target.urn for d in deps):
        return False
    strings = _prop_strings(resource, prop_name) if values is None or many else None
    values = strings if values is None else list(values)
    if values is None:
        return True
    if _chose_another(values, deps, target, tuple(keys)):
        return False
    # Each value one reference (a scalar's, a known list's item), but for a list prop (`many`) not known yet, which
    # may hold every one it is made from, and a block, whose dependencies are all its entries'.
    single = not many or (peek(resource.props, prop_name) is not UNKNOWN and strings is not None)
    return None if single and _one_of_several(values, deps, target) else True


def _prop_strings(resource: Any, prop_name: str) -> Optional[list]:
    """A prop's value as a list of strings and unknowns: the value, or a list's items; None for anything else."""
    value = peek(resource.props, prop_name)
    if value is UNKNOWN or isinstance(value, str):
        return [value]
    items = peek_items(resource.props, prop_name)
    return items if items and all(i is UNKNOWN or isinstance(i, str) for i in items) else None


def same_value(a: Any, b: Any) -> bool:
    """Both known and equal (unknowns never match by value: `peek`'s UNKNOWN is one object, equal to itself)."""
    return all(v is not None and v is not UNKNOWN for v in (a, b)) and a == b


def refers_to(resource: Any, prop_name: str, values: Iterable[Any], target: Any,
              keys: Iterable[str] = ("id", "arn", "name"), *, assigned: bool = False,
              many: bool = False) -> Optional[bool]:
    """Whether `resource` refers to `target` through its prop `prop_name`: True, False or None (can't tell).

    A property dependency on `target` is a reference. Otherwise `values` (read from the prop with `peek`, so
    they may be UNKNOWN) are compared with the target's `keys`; an ARN also matches by its last path part.
    An unknown value leaves it open unless its property dependencies show it cannot name the target (see
    `made_from`): one with none (a stack reference, say) may name anything. A known value leaves it open while
    one of the target's keys is unknown, unless the keys are `assigned`: identifiers AWS makes up at creation
    (a security group's sg-… id and its ARN), which a value written before the target exists cannot name.
    """
    deps = resource.property_dependencies.get(prop_name, [])
    values = list(values)
    if any(d.urn == target.urn for d in deps):
        return link_state(resource, target, prop_name, values, keys, many=many)
    known_names, name_unknown = _names(target, tuple(keys))
    for value in values:
        if isinstance(value, str) and (value in known_names or (value.rsplit("/", 1)[-1] in known_names
                                                                and not _arn_elsewhere(value, target))):
            return True
    if any(v is UNKNOWN for v in values) and (not deps or made_from(resource, prop_name, target, keys,
                                                                    assigned=assigned)):
        return None
    if name_unknown and not assigned and any(isinstance(v, str) for v in values):
        return None
    return False


def _arn_elsewhere(value: str, target: Any) -> bool:
    """Whether an ARN names a region the target surely does not live in: its last part then names another resource
    of that id there (a multi-Region key's replica has its primary's key id)."""
    region = arn_region(value)
    return bool(region) and same_region(region, region_of(target)) is False


def _chose_another(values: list, deps: list, target: Any, keys: tuple[str, ...]) -> bool:
    """Whether every value is known, none is one of `target`'s identifiers, and each is exactly another dependency's
    identifier (`_identifiers`), or another text one holds (a VPC's defaultSecurityGroupId, a REST API's
    rootResourceId) that mentions none of the target's (`_mentions`): a choice among several outputs
    (`Output.all(blue.arn, green.arn).apply(pick)`) depends on each but names one."""
    if not values or not all(isinstance(value, str) for value in values):
        return False
    others = [d for d in deps if d.urn != target.urn]
    ids = _identifiers(keys)

    def another(value: str) -> bool:
        if value in _names(target, ids)[0]:
            return False
        # Exactly another's identifier names that one, though it holds the target's (`orders/api`, `orders`).
        return any(value in _names(other, ids)[0] for other in others) or (
            any(value in _texts(other) for other in others) and not _mentions(value, target, keys))
    return all(another(value) for value in values)


def _identifiers(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The keys a value may name a resource by: those asked for, and its id, ARN and name."""
    return tuple(dict.fromkeys((*keys, "id", "arn", "name")))


def _mentions(value: str, target: Any, keys: tuple[str, ...]) -> bool:
    """Whether a value may be made from `target`: it holds one of its identifiers (its `keys`, id, ARN or name) whole:
    is it, or has it as a segment between `/` and `:`, as `table/<name>` and an ARN's name do (one with such a
    separator, anywhere). Not the target's other texts: a resource's `parentId` is its parent's id."""
    segments = _segments(value)
    return any(name == value or (name in value if re.search(r"[/:]", name) else name in segments)
               for name in _names(target, _identifiers(keys))[0])


@functools.lru_cache(maxsize=4096)
def _segments(value: str) -> frozenset:
    """A value's parts between `/` and `:`, split once per value (a policy document is asked about each target)."""
    return frozenset(re.split(r"[/:]", value))


def _one_of_several(values: list, deps: list, target: Any) -> bool:
    """Whether unknown values may each be any of more resources of the target's type than there are values: one
    picked among several outputs names one of them, which only the update tells."""
    peers = {d.urn for d in deps if d.resource_type == target.resource_type}
    return bool(values) and all(value is UNKNOWN for value in values) and len(peers) > len(values)


def _texts(resource: Any) -> set:
    """The known texts of a resource's own props (its identifiers among them). Kept on the resource."""
    memo = vars(resource)
    if "_guardrails_texts" not in memo:
        props = resource.props
        texts = (peek(props, key) for key in list(iter(props))) if is_map(props) else ()
        memo["_guardrails_texts"] = {t for t in texts if isinstance(t, str) and t}
    return memo["_guardrails_texts"]


def made_from(resource: Any, prop_name: str, target: Any, keys: Iterable[str] = ("id", "arn", "name"), *,
              assigned: bool = False) -> bool:
    """Whether `resource`'s `prop_name`, by its property dependencies, may be made from `target`'s identity (its
    `keys`): made from the target itself or from a resource made from it, followed through every prop (an
    association's ARN read from a listener's `loadBalancerArn` names the listener's load balancer), or, unless the
    keys are `assigned`, from what the target's keys or `name` are made from (a random suffix in both). Not past
    another resource of the target's type: a value made from one names that one, as one made from the target
    names the target."""
    found = sources(resource, prop_name, target.resource_type)
    return target.urn in found or (not assigned and any(urn in found for urn in _identity_sources(target, keys)))


def sources(resource: Any, prop_name: str, peer_type: str) -> frozenset:
    """URNs of what `resource`'s `prop_name` is made from: its property dependencies and what they are made from, in
    turn, except what a resource of `peer_type` is made from. Kept on the resource, per prop and type."""
    memo = vars(resource).setdefault("_guardrails_sources", {})
    if (prop_name, peer_type) not in memo:
        seen: set[str] = set()
        todo = list(resource.property_dependencies.get(prop_name, []))
        while todo:
            source = todo.pop()
            if source.urn in seen:
                continue
            seen.add(source.urn)
            if source.resource_type != peer_type:
                todo += [d for deps in source.property_dependencies.values() for d in deps]
        memo[prop_name, peer_type] = frozenset(seen)
    return memo[prop_name, peer_type]


# Types whose id is another resource's, and the prop naming that one: each family registers its own
# (`register_shared_id`).
_SHARED_ID: dict[str, str] = {}


def register_shared_id(resource_type: str, prop_name: str) -> None:
    """A resource of `resource_type` has the id of the resource its `prop_name` names: what names that one's id may
    name it."""
    _SHARED_ID[resource_type] = prop_name


def _identity_sources(target: Any, keys: Iterable[str]) -> frozenset:
    """URNs of what the target's `keys` and `name` props are made from (ARNs and ids often hold the name), and for an
    id shared with another resource (`register_shared_id`), what names that one."""
    keys = {*keys, "name"}
    if target.resource_type in _SHARED_ID and keys & {"id", "keyId"}:
        keys.add(_SHARED_ID[target.resource_type])
    return frozenset(d.urn for key in keys for d in target.property_dependencies.get(key, []))


def _names(target: Any, keys: tuple[str, ...]) -> tuple[set, bool]:
    """The target's known names under `keys` (with `arn`, the other forms of its ARN its service takes,
    `_arn_aliases`), and whether one is unknown. Kept on the target: stack policies ask for every (resource,
    candidate) pair, and a resource's props do not change during an evaluation."""
    memo = vars(target).setdefault("_guardrails_names", {})
    if keys not in memo:
        names = [peek(target.props, k) for k in keys]  # a list: a map where a name belongs would not hash
        known = {n for n in names if isinstance(n, str) and n} | (_arn_aliases(target) if "arn" in keys else set())
        memo[keys] = (known, any(n is UNKNOWN for n in names))
    return memo[keys]


def may_refer(resources: Iterable[Any], holder_types: tuple[str, ...], prop_name: str, target: Any,
              keys: Iterable[str] = ("id", "arn", "name")) -> list:
    """The resources of `holder_types` whose (single-valued) prop `prop_name` may refer to `target`: a superset
    of those for which `refers_to` answers True or None, in the stack's order. Asking every holder about every
    target is quadratic; an index of the holders' dependencies and values, built once per stack, narrows
    them to the few worth asking."""
    index = _reference_index(resources, holder_types, prop_name)
    if index is None:
        return of_type(resources, *holder_types)
    holders, by_key, open_, strings, made = index
    names, name_unknown = _names(target, tuple(keys))
    positions = set(by_key.get(("urn", target.urn), ()))
    for name in names:
        positions.update(by_key.get(("value", name), ()))
    positions.update(open_)
    if name_unknown:
        positions.update(strings)
    by_source = _by_source(made, holders, prop_name, target.resource_type)
    for urn in (target.urn, *_identity_sources(target, keys)):
        positions.update(by_source.get(urn, ()))
    return [holders[p] for p in sorted(positions)]


def _by_source(made: dict, holders: list, prop_name: str, peer_type: str) -> dict[str, list[int]]:
    """Positions of the holders whose unknown `prop_name` is made from each URN (`sources`), per type asked for;
    `made` holds their positions under None."""
    if peer_type not in made:
        found: dict[str, list[int]] = {}
        for position in made[None]:
            for urn in sources(holders[position], prop_name, peer_type):
                found.setdefault(urn, []).append(position)
        made[peer_type] = found
    return made[peer_type]


def referring(resources: Iterable[Any], holder_types: tuple[str, ...], prop_name: str, target: Any,
              keys: Iterable[str] = ("id", "arn", "name"), *, assigned: bool = False,
              regional: bool = False) -> tuple[list, bool]:
    """The resources of `holder_types` whose (single-valued) prop `prop_name` refers to `target`, and whether
    another might (`refers_to` answers None): a KeyPolicy's key, a logging configuration's web ACL. With `regional`,
    a holder elsewhere names another resource (`_apart`)."""
    keys = tuple(keys)

    def refers(holder: Any, _: Any) -> Optional[bool]:
        apart = _apart(holder, target, prop_name) if regional else False
        if apart is not False:
            return None if apart is None else False
        return refers_to(holder, prop_name, [peek(holder.props, prop_name)], target, keys, assigned=assigned)

    found, maybe = covering(may_refer(resources, holder_types, prop_name, target, keys), target, refers)
    return found, maybe or native_companion(resources, holder_types, target, keys, assigned=assigned)


# The pulumi-aws companions the pack looks for that a program may write with aws-native (Pulumi's Cloud Control
# provider, CloudFormation's resource types) instead, and the aws-native type and property naming the resource it
# applies to: each family registers its own (`register_native_companion`). The pack reads no aws-native resource's
# settings, so such a companion leaves the verdict open, as an unknown value does: reported missing, it would be a
# finding the program cannot clear. (Settings CloudFormation keeps on the resource itself, as a bucket's encryption,
# have no separate companion there.)
_NATIVE_COMPANIONS: dict[str, tuple[str, str]] = {}


def register_native_companion(resource_type: str, native_type: str, prop_name: str) -> None:
    """A companion of `resource_type` may be written as aws-native's `native_type`, naming what it applies to in
    `prop_name` (`native_companion`)."""
    _NATIVE_COMPANIONS[resource_type] = (native_type, prop_name)


def native_companion(resources: Iterable[Any], holder_types: tuple[str, ...], target: Any,
                     keys: Iterable[str] = ("id", "arn", "name"), *, assigned: bool = False,
                     refers: Optional[Callable[[Any, str], Optional[bool]]] = None) -> bool:
    """Whether an aws-native resource doing what one of `holder_types` does (`register_native_companion`) may refer to
    `target`: linked to it, naming one of its `keys`, or naming something unknown (`refers_to`, `assigned` alike; or
    `refers(holder, prop_name)`, a family's own matching)."""
    keys = tuple(keys)
    for native_type, prop_name in (_NATIVE_COMPANIONS[t] for t in holder_types if t in _NATIVE_COMPANIONS):
        for holder in of_type(resources, native_type):
            answer = (refers(holder, prop_name) if refers is not None else
                      refers_to(holder, prop_name, [peek(holder.props, prop_name)], target, keys, assigned=assigned))
            if answer is not False:
                return True
    return False


def in_another_region(a: Any, b: Any) -> bool:
    """Whether two resources are known to live in two regions (`region_of`, `same_region`)."""
    return same_region(region_of(a), region_of(b)) is False


def _apart(holder: Any, target: Any, prop_name: str) -> Optional[bool]:
    """Whether a holder surely names another resource than `target` for where the two live: in another region (a
    multi-Region key's replica shares the primary's key id), or in another account, unless it names the target by
    its ARN (`_by_arn_across_accounts`); None while that waits for the update."""
    if in_another_region(holder, target):
        return True
    if same_account(account_of(holder), account_of(target)) is not False:
        return False
    value = peek(holder.props, prop_name)
    named = _by_arn_across_accounts({value} if isinstance(value, str) else set(), value is UNKNOWN,
                                    link_state(holder, target, prop_name) is not False, target)
    return None if named is None else not named


def policy_documents(resource: Any, resources: Iterable[Any], holder_types: tuple[str, ...], prop_name: str,
                     keys: Iterable[str], noun: str, *, regional: bool = False,
                     document: str = "policy") -> list[tuple[str, Any]]:
    """The documents that decide a resource's resource-based policy, each with how a message names it: those of the
    holders of `holder_types` (a KeyPolicy, TopicPolicy, QueuePolicy) whose `prop_name` refers to the resource,
    which replace its policy (each is written after it), else its own `policy` (the prop `document` of both, where
    a service names it otherwise: an OpenSearch domain's `accessPolicies`). `[(label, None)]` when neither
    exists: the service's default policy applies. Unknown documents, and a holder whose reference is unknown and
    might be this resource's, leave nothing to judge. (A holder that names another stack's resource by a literal
    may be this one's while this one's id is unknown: a first preview then judges neither, rather than risk a
    finding a later preview would not give.) `regional` as for `referring`."""
    label = f"{noun} {resource.name}"
    found, maybe = referring(resources, holder_types, prop_name, resource, keys=keys, regional=regional)
    if maybe:
        return []
    if found:
        documents = [(f"{label} (policy in {type_name(holder)} {holder.name})", peek(holder.props, document))
                     for holder in found]
        return [(source, text) for source, text in documents if text not in (None, UNKNOWN)]
    text = peek(resource.props, document)
    return [] if text is UNKNOWN else [(label, text)]


def type_name(resource: Any) -> str:
    """The last part of a resource's type token: `KeyPolicy` for `aws:kms/keyPolicy:KeyPolicy`."""
    return resource.resource_type.rsplit(":", 1)[-1]


def unowned(holders: Iterable[Any], targets: Iterable[Any], prop_name: str,
            keys: Iterable[str] = ("id", "arn", "name"), *, regional: bool = False) -> list:
    """The holders whose prop `prop_name` can name none of `targets`: a KeyPolicy for another stack's key.
    `regional` as for `referring`."""
    targets, keys = list(targets), tuple(keys)
    return [holder for holder in holders
            if all((regional and _apart(holder, target, prop_name) is True)
                   or refers_to(holder, prop_name, [peek(holder.props, prop_name)], target, keys) is False
                   for target in targets)]


def _reference_index(resources: Iterable[Any], holder_types: tuple[str, ...], prop_name: str) -> Optional[tuple]:
    """The holders, positions by dependency URN and by value, those with an open unknown, those with a string, and
    those with an unknown made from something (`_by_source` indexes them by what, per type asked for)."""
    def build(items: list) -> tuple:
        holders = of_type(items, *holder_types)
        by_key: dict[tuple[str, str], list[int]] = {}
        open_, strings = [], []
        made: dict[Optional[str], Any] = {None: []}
        for position, holder in enumerate(holders):
            deps = holder.property_dependencies.get(prop_name, [])
            for dep in deps:
                by_key.setdefault(("urn", dep.urn), []).append(position)
            value = peek(holder.props, prop_name)
            if isinstance(value, str):
                strings.append(position)
                for key in {value, value.rsplit("/", 1)[-1]}:  # refers_to matches an ARN by its last part too
                    by_key.setdefault(("value", key), []).append(position)
            elif value is UNKNOWN:
                (made[None] if deps else open_).append(position)
        return holders, by_key, open_, strings, made
    return _indexed(resources, ("references", holder_types, prop_name), build)


def referenced(resource: Any, prop_name: str, values: Iterable[Any], candidates: Iterable[Any],
               keys: Iterable[str] = ("id", "arn", "name"), *, assigned: bool = False,
               regional: bool = False, many: bool = False) -> tuple[list, bool]:
    """The candidates `resource` refers to through `prop_name`, and whether another one might (see refers_to). With
    `regional`, a name means only a resource of `resource`'s account and region: AWS looks a name up in the account and
    region of the request (an ECS service's cluster and task family, an instance's default-VPC security groups;
    `in_place_of`)."""
    keys, values = tuple(keys), list(values)
    found, maybe = _referenced(resource, prop_name, values, candidates, keys, assigned, many)
    if maybe and len(values) == 1 and _made_only_from(resource, prop_name, found):
        maybe = False
    if regional:
        found, unsure = in_place_of(resource, found, resource.property_dependencies.get(prop_name, []),
                                    named_by=[v for v in values if isinstance(v, str)],
                                    exact_keys=[key for key in keys if key in ("id", "arn")])
        maybe = maybe or unsure
    return found, maybe


def _made_only_from(resource: Any, prop_name: str, found: list) -> bool:
    """Whether a prop depends on nothing but candidates it names: one value made from them names one of them (which,
    `link_state` says), not another whose identifier is unknown until the update (a VPC's default network ACL beside
    the ACL a rule names) or made from what they are made from."""
    deps = resource.property_dependencies.get(prop_name, [])
    return bool(deps) and {d.urn for d in deps} <= {c.urn for c in found}


def in_place_of(resource: Any, found: list, linked: Iterable[Any] = (), named_by: Iterable[str] = (),
                exact_keys: Iterable[str] = ()) -> tuple[list, bool]:
    """Of the candidates found for what `resource` names, those it names exactly (a resource it depends on, or its id
    or ARN among `named_by`, under `exact_keys`: AWS never gives another region's resource that id or ARN; a task
    definition's id is its family, a name; in another account, by its ARN only) and those found by name that surely
    live in its account and region (`place_of`); and whether any was set aside because that is not known: one found by
    its name alone (a cluster's, a task family, a default-VPC group's) whose region or account `same_place` cannot
    compare with the resource's. AWS looks a name up in the account and region of the request, so whether the name
    means it waits for the update, or for a provider's region or account the stack does not name; judging it now could
    report what the update would not."""
    here, urns, named, exact_keys = place_of(resource), {r.urn for r in linked}, set(named_by), tuple(exact_keys)

    def exactly(candidate: Any) -> bool:
        return candidate.urn in urns or any(peek(candidate.props, key) in named for key in exact_keys)

    kept, unsure = [], False
    for candidate in found:
        there = place_of(candidate)
        relation = _one_place(there, here)
        if relation is not True and exactly(candidate):
            # What the holder names exactly is what it names (across regions, AWS refuses the update); across
            # accounts only by its ARN.
            relation = True if same_account(there[0], here[0]) is not False else _by_arn_across_accounts(
                named, not named, candidate.urn in urns, candidate)
        if relation is True:
            kept.append(candidate)
        elif relation is None:
            unsure = True
    return kept, unsure


def _referenced(resource: Any, prop_name: str, values: list, candidates: Iterable[Any], keys: tuple[str, ...],
                assigned: bool, many: bool = False) -> tuple[list, bool]:
    """`referenced`, wherever the candidates live."""
    index = _candidate_index(candidates, keys)
    if index is None:
        return covering(candidates, resource,
                        lambda candidate, _: refers_to(resource, prop_name, values, candidate, keys,
                                                       assigned=assigned, many=many))
    # What refers_to would answer for each candidate, from an index of their URNs and names (see refers_to).
    by_urn, by_name, name_unknown, by_identity = index
    deps = resource.property_dependencies.get(prop_name, [])
    # The candidates it depends on, each as refers_to answers for it (`link_state`).
    states = {p: link_state(resource, candidates[p], prop_name, values, keys, many=many)
              for d in deps for p in by_urn.get(d.urn, ())}
    found = {p for p, state in states.items() if state}
    several = None in states.values()
    strings = [v for v in values if isinstance(v, str)]
    for value in strings:  # by name, but those it depends on are as their link says
        found.update(p for p in by_name.get(value, ()) if p not in states)
        found.update(p for p in by_name.get(value.rsplit("/", 1)[-1], ()) if p not in states)
    unknown = any(v is UNKNOWN for v in values)
    if unknown and not deps:
        maybe = len(found) < len(candidates)
    else:
        maybe = bool(strings) and not assigned and any(p not in found and p not in states for p in name_unknown)
        maybe = maybe or (unknown and any(p not in found and p not in states for p in _made_from_candidates(
            resource, prop_name, candidates, by_urn, {} if assigned else by_identity)))
    return [candidates[p] for p in sorted(found)], maybe or several


def _made_from_candidates(resource: Any, prop_name: str, candidates: list, by_urn: dict,
                          by_identity: dict) -> Iterator[int]:
    """The positions of the candidates `made_from` says `resource`'s `prop_name` may be made from (by_identity
    empty: as for `assigned` keys)."""
    for peer_type in {c.resource_type for c in candidates}:
        for urn in sources(resource, prop_name, peer_type):
            for position in (*by_urn.get(urn, ()), *by_identity.get(urn, ())):
                if candidates[position].resource_type == peer_type:
                    yield position


def _candidate_index(candidates: Any, keys: tuple[str, ...]) -> Optional[tuple]:
    """Candidates by URN, by known name under `keys`, those with an unknown name, and by what their identity is made
    from (`_identity_sources`)."""
    def build(items: list) -> tuple:
        by_urn: dict[str, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        by_identity: dict[str, list[int]] = {}
        name_unknown = []
        for position, candidate in enumerate(items):
            by_urn.setdefault(candidate.urn, []).append(position)
            names, unknown = _names(candidate, keys)
            for name in names:
                by_name.setdefault(name, []).append(position)
            if unknown:
                name_unknown.append(position)
            for urn in _identity_sources(candidate, keys):
                by_identity.setdefault(urn, []).append(position)
        return by_urn, by_name, name_unknown, by_identity
    return _indexed(candidates, ("candidates", keys), build)
