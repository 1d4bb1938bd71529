"""Reading IAM policy documents (JSON strings on the wire) and asking whether they grant one action on one ARN.

Only what a policy can decide without the request context is answered: statements with a `Condition` neither
grant nor deny for certain, so they count as "maybe"; except an Allow whose Condition reads only keys that are the
same whichever resource a request names (`RESOURCE_BLIND_KEYS`), or asks for a resource of the caller's own account
(`_own_account`: every resource asked about is), which grants every resource it covers to a caller that meets it
once.
"""
from __future__ import annotations

import functools
import json
import re
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Optional, Sequence, Union

from ..core.addresses import internet_cidrs, network_of
from ..core.props import (UNKNOWN, arn_account, as_list, iam_like, in_words, is_map, is_present, peek,
                          peek_items, unless_unknown)
from ..core.stack import of_type, policy_documents, type_name, unowned


@dataclass(frozen=True)
class Statement:
    source: str     # e.g. "inline policy 'reads'" or "policy arn:aws:iam::aws:policy/SecretsManagerReadWrite"
    index: int
    raw: Any

    @property
    def label(self) -> str:
        sid = self.raw.get("Sid") if is_map(self.raw) else None
        return f"{self.source} statement {sid or self.index}"

    @property
    def effect(self) -> str:
        return str(self.raw.get("Effect", "")) if is_map(self.raw) else ""

    @property
    def conditional(self) -> bool:
        return is_map(self.raw) and bool(self.raw.get("Condition"))

    @property
    def condition_keys(self) -> Optional[list[str]]:
        """The keys its Condition reads, as written, in order; None when the Condition is unknown."""
        entries = _condition_items(self.raw.get("Condition") if is_map(self.raw) else None)
        return None if entries is None else list(dict.fromkeys(key for _, key, _ in entries))

    def resource_blind(self, account: Optional[str]) -> bool:
        """Whether its Condition (if any) reads only RESOURCE_BLIND_KEYS, or asks that the resource be the caller's
        own account's (`_own_account`; `account` the caller's, when known): it cannot let a caller reach one
        resource of the account it covers and keep the same caller from another."""
        entries = condition_entries(self.raw.get("Condition") if is_map(self.raw) else None)
        return entries is not None and all(key in RESOURCE_BLIND_KEYS or _own_account(operator, key, values, account)
                                           for operator, key, values in entries)

    def covers_action(self, action: str) -> bool:
        """Whether the statement's Action (or NotAction) part takes `action` (ignoring conditions)."""
        return _matches(self.raw, "Action", "NotAction", action.lower(), lower=True)

    def grants(self, action: str) -> Optional[bool]:
        """`covers_action`, and where an Action item is unknown until the update, True where a known one takes
        `action` (what a finding may say beside the unknown); None where only an unknown item (or a NotAction with
        one, which may leave out anything) could."""
        covered = unless_unknown(self.covers_action, action)
        if covered is not None:
            return covered
        return True if is_present(self.raw, "Action") and any(
            isinstance(item, str) and iam_like(action.lower(), item.lower())
            for item in peek_items(self.raw, "Action")) else None

    def grants_known_action(self, action: str) -> bool:
        """`grants`, where a known Action item takes `action`. Never a pass: an unknown item may take it too."""
        return bool(self.grants(action))

    def granted(self, uses: Sequence[tuple[str, str]], otherwise: str = "use") -> str:
        """What a finding says the statement lets its grantees do: the words of each (words, action) pair whose action
        it grants (`grants_known_action`: a wildcard, `*` or NotAction too), listed; `otherwise` when it grants none
        of them (an Action unknown until the update, say)."""
        return in_words([words for words, action in uses if self.grants_known_action(action)]) or otherwise

    def covers(self, action: str, arn: str) -> bool:
        """Whether the statement's action and resource parts both match (ignoring conditions)."""
        return self.covers_action(action) and _matches(self.raw, "Resource", "NotResource", arn, lower=False)


def _own_account(operator: str, key: str, values: list, account: Optional[str]) -> bool:
    """Whether a Condition entry holds for every resource of the caller's own account: `aws:ResourceAccount` (the
    resource owner's) equal to `${aws:PrincipalAccount}`, the data-perimeter form, or to the caller's account
    written out, when it is known (`account`)."""
    return (key == "aws:resourceaccount" and operator in ("stringequals", "stringequalsignorecase", "stringlike")
            and any(_is_own_account(v, operator, account) for v in values))


def _is_own_account(value: Any, operator: str, account: Optional[str]) -> bool:
    if isinstance(value, str) and value.lower() == "${aws:principalaccount}":
        return True
    if account is None or isinstance(value, bool) or not isinstance(value, (str, int)):
        return False  # an account unknown until the update may be another: no finding rests on it
    # IAM takes an unquoted number as its digits; a StringLike pattern holds for the account if it matches it.
    return iam_like(account, str(value)) if operator == "stringlike" else str(value) == account


def condition_entries(condition: Any) -> Optional[list[tuple[str, str, list]]]:
    """A statement's Condition as (operator, key, values) entries, operator and key lower-cased as IAM compares them
    (`stringequalsifexists`, `forallvalues:stringequals`); None when the Condition or a block of it is unknown (it
    may hold anything)."""
    entries = _condition_items(condition)
    return None if entries is None else [(operator.lower(), key.lower(), values) for operator, key, values in entries]


def _condition_items(condition: Any) -> Optional[list[tuple[str, str, list]]]:
    """condition_entries as written (operator and key in their own case). Read key by key, so the unknown-checking
    proxy never raises."""
    if condition is UNKNOWN:
        return None
    if not is_map(condition):
        return []
    entries = []
    for operator in list(iter(condition)):
        block = peek(condition, operator)
        if block is UNKNOWN:
            return None
        if not is_map(block):
            continue
        entries += [(operator, key, peek_items(block, key)) for key in list(iter(block))]
    return entries


# Global condition keys (lower case) whose value does not depend on the resource a request names (AWS's "AWS
# global condition context keys": properties of the request, of the network, and the principal's account and
# organization). A caller that meets them for one resource meets them for any other, so an Allow conditioned on
# them alone grants each resource it covers: a region (as a Resource pinned to one region is reported), TLS (every
# SDK uses it), the VPC, endpoint or address the call comes from, the time, and the User-Agent and Referer the
# caller writes itself. aws:PrincipalAccount, aws:PrincipalOrgID and aws:PrincipalOrgPaths are the same for
# every principal of the account an identity policy is attached in. Not here: keys of the resource
# (aws:ResourceTag/*, secretsmanager:SecretId, aws:ResourceAccount but as `_own_account`), keys that single out
# some principals of the account (aws:PrincipalArn, aws:PrincipalTag/*, aws:userid), and keys a task's own calls
# do not carry (aws:MultiFactorAuthPresent, aws:SourceArn, aws:ViaAWSService, aws:RequestTag/*): under them an
# Allow may not reach a task at all.
RESOURCE_BLIND_KEYS = frozenset({
    "aws:requestedregion", "aws:securetransport", "aws:sourcevpc", "aws:sourcevpce", "aws:sourcevpcarn",
    "aws:sourceip", "aws:vpcsourceip", "aws:currenttime", "aws:epochtime", "aws:useragent", "aws:referer",
    "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths",
})

# Condition keys that tie a request to known principals: AWS's data-perimeter keys.
PRINCIPAL_KEYS = ("aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:principalarn")

# The operators under which a key's values say who is let in (a `ForAnyValue:` prefix allowed). Not Null, which
# tests only whether the key is there; not ForAllValues: or IfExists, true when the key is missing (a direct call
# from another account carries no aws:SourceAccount); not the negations, which say who is kept out.
NAMING_OPERATORS = ("stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike")

# The operators whose values may hold wildcards (IAM's "Condition operators": ArnEquals matches as ArnLike does);
# StringEquals and StringEqualsIgnoreCase compare a `*` or `?` as written.
_WILDCARD_OPERATORS = ("stringlike", "stringnotlike", "arnequals", "arnlike", "arnnotequals", "arnnotlike")


def is_pattern(text: str, operator: str) -> bool:
    """Whether a condition value matches more than its own text under `operator` (lower case, without a set prefix or
    IfExists): a wildcard where the operator takes one."""
    return operator in _WILDCARD_OPERATORS and any(c in text for c in "*?")


def names_callers(condition: Any, keys: tuple[str, ...], *, one_resource: bool = True) -> bool:
    """Whether a Condition lets in only callers that one of `keys` (lower case: `aws:principalorgid`,
    `kms:calleraccount`) names by a fixed value; an unknown Condition may. A value with a wildcard (`is_pattern`) or a
    policy variable names no one (save `${aws:ResourceAccount}` and `${aws:ResourceOrgID}` in `one_resource`'s policy,
    a resource policy's, where they are that resource's own account and organization; in an endpoint policy they are
    whichever resource is asked for, anyone's); an ARN with a fixed 12-digit account field does (whatever follows it),
    and so does an organization path whose organization id is fixed (`o-a1b2c3d4e5/*`). A fixed ARN names one resource,
    even one without an account (an S3 bucket's, `aws:SourceArn` of an event notification). The `aws:userid` of
    anonymous callers names everyone."""
    entries = condition_entries(condition)
    if entries is None:
        return True
    return any(key in keys and operator.removeprefix("foranyvalue:") in NAMING_OPERATORS
               and values_name_callers(key, values, operator.removeprefix("foranyvalue:"), one_resource=one_resource)
               for operator, key, values in entries)


def values_name_callers(key: str, values: list, operator: str, *, one_resource: bool = True) -> bool:
    """Whether a condition key's values, read under `operator` (lower case, a naming one), all name fixed callers
    (`names_callers`); no values name no one."""
    return bool(values) and all(_names_caller(key, value, operator, one_resource) for value in values)


# A role's unique id and any session name: `aws:userid` of every session of that one role.
_ROLE_SESSIONS = re.compile(r"AROA[A-Z0-9]{12,}:\*")


def _names_caller(key: str, value: Any, operator: str, one_resource: bool) -> bool:
    """`_names_one`, with `aws:userid`'s own forms: `anonymous`, which SNS, SQS and S3 give an anonymous caller (IAM's
    "Principal key values"), lets everyone in; `<role id>:*` under StringLike names one role's sessions (S3's "The
    meaning of public": aws:userid outside the pattern `AROLEID:*` is a fixed value)."""
    if key == "aws:userid" and isinstance(value, str):
        if (value.lower() if "ignorecase" in operator else value) == "anonymous":
            return False
        if operator == "stringlike" and _ROLE_SESSIONS.fullmatch(value):
            return True
    return _names_one(value, operator, one_resource)


def one_account_arn(arn: Any, operator: str) -> bool:
    """Whether a condition value (an ARN) under `operator` names resources of one account: a 12-digit account
    field, and under StringLike no wildcard before it, where `*` could swallow the fields up to another account's
    (IAM paths may hold colons). Unknown: it may."""
    if arn is UNKNOWN:
        return True
    if arn_account(arn) is None:
        return False
    return not (operator == "stringlike" and any(c in ":".join(arn.split(":", 4)[:4]) for c in "*?"))


def _names_one(value: Any, operator: str, one_resource: bool = True) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True  # IAM takes a condition value unquoted as a number (an account id): one value, no wildcard
    if not isinstance(value, str) or not value.strip():
        return False
    if "${" in value:  # a policy variable names no one, but one resource's own account or organization is one
        return one_resource and value.lower() in ("${aws:resourceaccount}", "${aws:resourceorgid}")
    if value.startswith("arn:"):
        return one_account_arn(value, operator) or not is_pattern(value, operator)
    if value.startswith("o-") and "/" in value:  # aws:PrincipalOrgPaths: o-<id>/r-<root>/ou-.../*
        return not is_pattern(value.split("/", 1)[0], operator)
    return not is_pattern(value, operator)


def any_principal(principal: Any) -> bool:
    """Whether a resource policy statement's Principal is everyone: `*`, or `{"AWS": "*"}` (alone or in a list)."""
    return principal == "*" or (is_map(principal) and "*" in as_list(principal.get("AWS")))


def everyone(statement: Any) -> bool:
    """Whether a resource policy statement names every principal: Principal `*` (`any_principal`), or a NotPrincipal
    that leaves someone in, which an Allow grants to every principal but those it lists, other accounts' and
    anonymous callers among them (IAM's "AWS JSON policy elements: NotPrincipal"). Unknown: not judged."""
    if "NotPrincipal" in statement and "Principal" not in statement:
        excluded = peek(statement, "NotPrincipal")
        return excluded is not UNKNOWN and not any_principal(excluded)
    principal = peek(statement, "Principal")
    return principal is not UNKNOWN and any_principal(principal)


def grantee(statement: Statement) -> str:
    """How a message names whom a public statement (`everyone`) lets in."""
    return "NotPrincipal (everyone but those it lists)" if "NotPrincipal" in statement.raw else "Principal *"


def accounts_that(act: str) -> str:
    """The usual fix of a public grant: name the accounts that `act`, or scope it to the organization."""
    return (f"name the accounts that {act}, or add a condition such as StringEquals aws:PrincipalOrgID "
            "<your organization>")


def public_grant(statement: Statement, uses: str, fix: str = "", naming: str = "an account or organization") -> str:
    """The finding on a public statement of a resource policy: whom it lets in with no condition `naming` them, what
    any account's principals may then do (`uses`), and how to scope it (`fix`)."""
    return (f"{statement.label} allows {grantee(statement)} with no condition naming {naming}: any AWS account's "
            f"principals may {uses}" + (f"; {fix}" if fix else ""))


# Condition keys that name the callers a resource policy lets in (lower case): the data-perimeter keys and the
# principal's unique id, those a service sets when it acts for a resource of some account or for one resource
# (aws:SourceOwner is SNS's older aws:SourceAccount, which its default topic policy uses), and the VPC or VPC endpoint
# a request must come through. AWS counts a policy that grants only under a fixed value of one of them as not public
# (S3's "The meaning of public", which the Config rules behind SNS.4 and SQS.3 follow: "fixed values", no wildcard or
# policy variable), a fixed aws:SourceArn too, a bucket's included, and an aws:userid but `anonymous` (`_names_caller`;
# a role's id and any session, `AROA...:*`, too). A service may add its own (kms:CallerAccount). S3 counts a set of
# addresses too (aws:SourceIp), which names no account: `limits_source_ip`, for resource policies but not a role's
# trust or a service's grant.
CALLER_KEYS = (*PRINCIPAL_KEYS, "aws:userid", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid",
               "aws:sourceorgpaths", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce", "aws:sourcevpcarn")

# Condition keys that name the AWS service principal making a request (lower case): its own name, and the names it
# carries (aws:PrincipalServiceNamesList). A statement for everyone that only they let in grants what Principal
# {"Service": ...} grants those services, and so does aws:PrincipalIsAWSService true (any service). That is AWS's rule
# for DynamoDB, whose block public access counts fixed values of them, and that key "set to true", as not public
# ("Blocking public access with resource-based policies in DynamoDB"); the pack extends it to the other resource
# policies and to trusts. Not CALLER_KEYS: they say which service, not for whose resources it acts.
SERVICE_NAME_KEYS = ("aws:principalservicename", "aws:principalservicenameslist")
ANY_SERVICE = "*"
# The operators under which aws:PrincipalIsAWSService "true" lets in AWS services alone. Bool is the Boolean key's
# own; IAM takes a string equality on it too (Access Analyzer's policy checks only warn, "Type mismatch: Use the
# operator type Bool"), and whether it then compares the text "true" or matches nothing, an Allow under it lets in AWS
# services at most. Not the IfExists forms: true for every request without the key.
SERVICE_FLAG_OPERATORS = ("bool", "stringequals", "stringequalsignorecase")


def named_services(condition: Any) -> Optional[list]:
    """The AWS services a Condition lets in alone: the fixed values of SERVICE_NAME_KEYS (`values_name_callers`; an
    unknown one UNKNOWN), or [ANY_SERVICE] for aws:PrincipalIsAWSService true under SERVICE_FLAG_OPERATORS ([UNKNOWN]
    where a value is unknown until the update); None where it names none, or is unknown (`names_callers` says it may
    name anyone then)."""
    for operator, key, values in condition_entries(condition) or []:
        naming = operator.removeprefix("foranyvalue:")
        if key in SERVICE_NAME_KEYS and naming in NAMING_OPERATORS and values_name_callers(key, values, naming):
            return values
        if (operator in SERVICE_FLAG_OPERATORS and key == "aws:principalisawsservice"
                and (says := flag_says(values, "true")) is not False):
            return [ANY_SERVICE] if says else [UNKNOWN]
    return None


def flag_says(values: list, text: str) -> Optional[bool]:
    """Whether a Boolean condition key's values (aws:PrincipalIsAWSService's) all say `text`, "true" or "false"
    (IAM compares a Bool's text without case); None where those known do and another is unknown until the update."""
    if not values or not all(v is UNKNOWN or str(v).lower() == text for v in values):
        return False
    return None if UNKNOWN in values else True


def limits_source_ip(condition: Any) -> bool:
    """Whether a Condition lets requests in only from a set of addresses: IpAddress on aws:SourceIp (not its IfExists
    form, true for every request without a source address, as through a VPC endpoint) to CIDRs that leave out part of
    the internet (`_part_of_the_internet`). S3 counts a policy limited to a set of CIDRs as not public ("The meaning of
    public"). An unknown Condition may limit."""
    entries = condition_entries(condition)
    if entries is None:
        return True
    return any(key == "aws:sourceip" and operator.removeprefix("foranyvalue:") == "ipaddress" and values
               and _part_of_the_internet(values) for operator, key, values in entries)


def _part_of_the_internet(values: list) -> bool:
    """Whether CIDRs leave out part of the internet: known ones that add up to every public address of an IP version
    do not (`internet_cidrs`, as the security group policies count them: `0.0.0.0/0`, or `0.0.0.0/1` with
    `128.0.0.0/1`), whatever the rest; else an unknown one may; a value that is no CIDR (IAM refuses the document)
    does not."""
    known = [value for value in values if value is not UNKNOWN]
    if not all(isinstance(value, str) and network_of(value.strip()) is not None for value in known):
        return False
    return not internet_cidrs(value.strip() for value in known)


def fixes_flag(condition: Any, keys: tuple[str, ...]) -> bool:
    """Whether a Condition asks that one of `keys` (lower case: a service's boolean key, as EFS's
    `elasticfilesystem:accessedviamounttarget`) have a fixed value: Bool (not BoolIfExists, true where the key is
    missing) with true or false. EFS counts a file system policy that grants only under a fixed value of that key as
    not public ("The meaning of public"). An unknown Condition, or value, may."""
    entries = condition_entries(condition)
    if entries is None:
        return True
    return any(operator == "bool" and key in keys and values
               and all(value is UNKNOWN or isinstance(value, bool) or str(value).lower() in ("true", "false")
                       for value in values)
               for operator, key, values in entries)


def public_statements(document: Any, source: str, service_keys: tuple[str, ...] = (), *, by_address: bool = True,
                      whom: Callable[[Any], bool] = everyone, flag_keys: tuple[str, ...] = ()) -> list[Statement]:
    """The Allow statements of a resource policy that let everyone in: Principal `*` (or `{"AWS": "*"}`), or a
    NotPrincipal (`everyone`; `whom` tells another kind of everyone, a trust's every identity provider), and no
    Condition naming the callers by fixed values of CALLER_KEYS or `service_keys` (`names_callers`), letting in only
    AWS services (`named_services`), fixing one of the boolean `flag_keys` (`fixes_flag`) or, `by_address`, limiting
    them to a set of addresses (`limits_source_ip`). What is unknown until the update (a Principal, a Condition, the
    document) is not judged."""
    def read() -> list[Statement]:
        found = []
        for statement in statements(document, source):
            if statement.effect != "Allow" or not whom(statement.raw):
                continue
            condition = peek(statement.raw, "Condition")
            if not (names_callers(condition, CALLER_KEYS + service_keys)
                    or named_services(condition) is not None
                    or (flag_keys and fixes_flag(condition, flag_keys))
                    or (by_address and limits_source_ip(condition))):
                found.append(statement)
        return found
    return unless_unknown(read) or []


def public_resource_policies(resources: list, owner_types: tuple[str, ...], holder_type: str, prop_name: str,
                             keys: tuple[str, ...], noun: Union[str, Mapping[str, str]],
                             service_keys: tuple[str, ...] = (), *, regional: bool = False,
                             flag_keys: tuple[str, ...] = ()) -> Iterator[tuple[Any, Statement]]:
    """(resource, statement) for each public statement (`public_statements`, `flag_keys` as there) of what decides the
    policy of each resource of `owner_types` (`policy_documents`: a `holder_type` resource naming it by `prop_name`,
    else its own `policy`; `regional` as there; named `noun`, or its noun by type where the owners differ), and of
    each holder that names none of them (another stack's resource's), reported on the holder."""
    owners, holders = of_type(resources, *owner_types), of_type(resources, holder_type)
    judged = [(owner, source, document) for owner in owners
              for source, document in policy_documents(
                  owner, resources, (holder_type,), prop_name, keys,
                  noun if isinstance(noun, str) else noun[owner.resource_type], regional=regional)]
    judged += [(holder, f"{type_name(holder)} {holder.name}", peek(holder.props, "policy"))
               for holder in unowned(holders, owners, prop_name, keys=keys, regional=regional)]
    for resource, source, document in judged:
        for statement in public_statements(document, source, service_keys, flag_keys=flag_keys):
            yield resource, statement


def _glob(value: str, pattern: str, lower: bool) -> bool:
    return iam_like(value, pattern.lower() if lower else pattern)


def common_match(a: str, b: str, *, filler: str = "x", not_in_b_wildcards: str = "") -> Optional[str]:
    """A string both IAM wildcard patterns match (`*` any run, `?` one character, all else literal), or None.

    A breadth-first search over the pairs (i, j) of positions in `a` and `b` (the product of their automata): a `*`
    may be skipped, or consume a character and stay; both patterns consume the same character, a literal where one
    demands it and `filler` where both take any. `b`'s wildcards never take a character of `not_in_b_wildcards`
    (e.g. ":" for a pattern of real ARNs, whose region, account and name hold no colon). The path to (len(a),
    len(b)) spells the witness."""
    start, goal = (0, 0), (len(a), len(b))
    came_from: dict[tuple[int, int], Optional[tuple[tuple[int, int], str]]] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state == goal:
            return _spelled(came_from, state)
        for step, char in _steps(a, b, *state, filler, not_in_b_wildcards):
            if step not in came_from:
                came_from[step] = (state, char)
                queue.append(step)
    return None


def _spelled(came_from: dict, state: Any) -> str:
    """The characters a breadth-first search spelled on its way to `state` (`came_from`: state -> (previous state,
    character), None at the start)."""
    spelled = []
    while came_from[state] is not None:
        state, char = came_from[state]
        spelled.append(char)
    return "".join(reversed(spelled))


def _consume(pattern: str, i: int) -> Optional[tuple[int, Optional[str]]]:
    """Where `pattern` goes from position i on one character, and the character it needs (None: any)."""
    if i == len(pattern):
        return None
    if pattern[i] == "*":
        return i, None
    return i + 1, None if pattern[i] == "?" else pattern[i]


def _steps(a: str, b: str, i: int, j: int, filler: str, not_in_b_wildcards: str
           ) -> Iterator[tuple[tuple[int, int], str]]:
    if i < len(a) and a[i] == "*":
        yield (i + 1, j), ""
    if j < len(b) and b[j] == "*":
        yield (i, j + 1), ""
    on_a, on_b = _consume(a, i), _consume(b, j)
    if on_a is None or on_b is None:
        return
    (next_i, need_a), (next_j, need_b) = on_a, on_b
    if need_b is None and need_a is not None and need_a in not_in_b_wildcards:
        return
    if need_a is None or need_b is None or need_a == need_b:
        yield (next_i, next_j), need_a or need_b or filler


class SearchTooLarge(Exception):
    """`uncovered` gave up: the patterns' combined automaton has more states than its budget (can't tell)."""


# Made deterministic, patterns with wildcards in the middle (`*prod*`) can multiply the states: a few thousand
# answer every realistic policy in well under a second.
MAX_UNCOVERED_STATES = 5000


def uncovered(patterns: list[str], b: str, *, not_in_b_wildcards: str = "",
              max_states: int = MAX_UNCOVERED_STATES) -> Optional[str]:
    """A string pattern `b` matches and none of `patterns` does (IAM wildcards, as in `common_match`), or None when
    `patterns` together cover all of `b`; SearchTooLarge past `max_states` states (`_search`)."""
    found = _search(tuple(patterns), b, not_in_b_wildcards, max_states)
    if found is SearchTooLarge:
        raise SearchTooLarge(f"more than {max_states} states")
    return found


# Task roles of one program usually carry the same Deny (every Service Connect role of this one does): each
# distinct question is searched once per process.
@functools.lru_cache(maxsize=256)
def _search(patterns: tuple[str, ...], b: str, not_in_b_wildcards: str, max_states: int) -> Any:
    """`uncovered`'s answer, or the SearchTooLarge class when the search passed its budget.

    The same search as `common_match`, with `b` walked by one position and `patterns` by the set of positions every
    pattern can be in after the characters spelled so far (their automata made deterministic), so a string is
    uncovered exactly when `b` reaches its end and no pattern does. `b`'s wildcards try each literal some pattern
    demands next, and one character none of them names, which stands for all the others. A pattern that shares no
    string with `b` is left out, and a state where some pattern has only `*` left is not searched on: every string
    from there on is covered."""
    patterns = tuple(p for p in patterns if common_match(p, b, not_in_b_wildcards=not_in_b_wildcards) is not None)
    literals = {c for p in patterns for c in p if c not in "*?"}
    other = next(c for c in "x0_~" + "".join(map(chr, range(0x100, 0x200)))
                 if c not in literals and c not in not_in_b_wildcards)

    # Per pattern position, computed once: where one character takes it (and the character it needs, None for
    # any), the positions it also stands for past the `*`s that follow, and whether only `*`s are left.
    steps_of = [[_consume(p, i) for i in range(len(p) + 1)] for p in patterns]
    skips = [[tuple(range(i, len(p) - len(p[i:].lstrip("*")) + 1)) for i in range(len(p) + 1)] for p in patterns]
    ends_in_star = [[bool(p[i:]) and not p[i:].strip("*") for i in range(len(p) + 1)] for p in patterns]

    def closure(positions: Iterable[tuple[int, int]]) -> frozenset[tuple[int, int]]:
        return frozenset((k, j) for k, i in positions for j in skips[k][i])

    # The same sets of positions come back at many positions of `b` (each `?` of an account, say): each is
    # advanced on a character once.
    advanced: dict[tuple[frozenset[tuple[int, int]], str], frozenset[tuple[int, int]]] = {}

    def advance(positions: frozenset[tuple[int, int]], char: str) -> frozenset[tuple[int, int]]:
        if (positions, char) not in advanced:
            advanced[positions, char] = closure((k, step[0]) for k, i in positions
                                                if (step := steps_of[k][i]) is not None and step[1] in (None, char))
        return advanced[positions, char]

    def covered_from(positions: frozenset[tuple[int, int]]) -> bool:
        return any(ends_in_star[k][i] for k, i in positions)

    start = (0, closure({(k, 0) for k in range(len(patterns))}))
    if covered_from(start[1]):
        return None
    came_from: dict[Any, Optional[tuple[Any, str]]] = {start: None}
    queue = deque([start])
    while queue:
        if len(came_from) > max_states:
            return SearchTooLarge
        state = queue.popleft()
        j, positions = state
        if j == len(b) and not any(i == len(patterns[k]) for k, i in positions):
            return _spelled(came_from, state)
        steps = [((j + 1, positions), "")] if j < len(b) and b[j] == "*" else []
        on_b = _consume(b, j)
        if on_b is not None:
            next_j, need = on_b
            if need is None:  # a character no pattern here demands moves them all as `other` does
                wanted = {patterns[k][i] for k, i in positions if i < len(patterns[k])} - set("*?")
                options = [other, *sorted(wanted - set(not_in_b_wildcards))]
            else:
                options = [need]
            steps += [((next_j, advance(positions, c)), c) for c in options]
        for step, char in steps:
            if step not in came_from and not covered_from(step[1]):
                came_from[step] = (state, char)
                queue.append(step)
    return None


def _matches(raw: Any, key: str, not_key: str, value: str, *, lower: bool) -> bool:
    if not is_map(raw):
        return False
    if key in raw:
        return any(isinstance(p, str) and _glob(value, p, lower) for p in as_list(raw[key]))
    if not_key in raw:
        return not any(isinstance(p, str) and _glob(value, p, lower) for p in as_list(raw[not_key]))
    return False


def statements(document: Any, source: str) -> list[Statement]:
    """The statements of a policy document (a JSON string or a map); [] when undecodable."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return []
    if not is_map(document):
        return []
    return [Statement(source, i, s) for i, s in enumerate(as_list(document.get("Statement"))) if is_map(s)]


@dataclass(frozen=True)
class Verdict:
    allowed_by: Optional[Statement]   # an Allow that covers it, unconditional or resource-blind
    denied: bool                      # an unconditional Deny covers it
    uncertain: bool                   # a document was unknown, or another conditional statement covers it


def evaluate(documents: Iterator[tuple[str, Any]], action: str, arn: str, account: Optional[str] = None) -> Verdict:
    """What `documents` ((source, document or UNKNOWN) pairs) say about `action` on `arn`, a resource of the
    caller's own account (a task role's own IAM entities, its account's ecs-sc! secrets; `account`, when known). An
    Allow with a resource-blind Condition allows it (the caller that meets the Condition for its own resources meets
    it for this one); a Deny with one still denies only some requests, so it is "maybe"."""
    allowed, denied, uncertain = None, False, False
    for source, document in documents:
        if document is UNKNOWN:
            uncertain = True
            continue
        for statement in statements(document, source):
            if not statement.covers(action, arn):
                continue
            if statement.conditional and not (statement.effect == "Allow" and statement.resource_blind(account)):
                uncertain = True
            elif statement.effect == "Deny":
                denied = True
            elif statement.effect == "Allow" and allowed is None:
                allowed = statement
    return Verdict(allowed, denied, uncertain)
