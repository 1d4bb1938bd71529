"""Reading Network Firewall rules: where a rule lets traffic go, in Suricata text (`rulesString`, the provider's
`rules`), 5-tuple `statefulRules` and stateless rules.

Suricata is read only as far as the header (action, protocol, source, source port, direction, destination,
destination port) and the names of the options; a line that does not read as one rule is not judged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from ..core.addresses import internet_cidrs
from ..core.props import UNKNOWN, is_map, peek, peek_items

# Options that pin a rule to names (a sticky buffer with its content, or content itself): such a pass rule is the
# allow-list's kind of rule, not a bypass of it. Dotted names and their older underscore spellings.
DOMAIN_OPTIONS = frozenset({"tls.sni", "tls_sni", "http.host", "http_host", "http.host.raw", "http_raw_host",
                            "dns.query", "dns_query", "content"})

# `flags:S` matches TCP SYNs alone, whatever the header's protocol. `flow:not_established` is a handshake only over
# TCP (and the application protocols AWS's stateful rules carry on it: the StatefulRuleProtocol enum's): for UDP and
# IP, Suricata counts a flow established only once traffic has gone both ways, so such a pass lets each flow's first
# packets out.
_SYN_ONLY = re.compile(r"(?:^|;)\s*flags\s*:\s*S\s*(?:;|$)")
_NOT_ESTABLISHED = re.compile(r"(?:^|;)\s*flow\s*:[^;]*\bnot_established\b")
_TCP_PROTOCOLS = frozenset({"tcp", "tls", "http", "http2", "ssh", "ftp", "smtp", "imap", "smb", "msn"})
_QUOTED = re.compile(r'"(?:\\.|[^"\\])*"')


@dataclass(frozen=True)
class Rule:
    """One stateful rule, as Suricata reads it."""

    action: str
    header: str
    source: str
    destination: str
    both_ways: bool  # `<>` (a 5-tuple Direction ANY): the rule also matches traffic from destination to source
    options: frozenset[str]
    sid: Optional[str]
    # `flow:not_established` (or `flags:S`) on TCP: AWS's strict-order pattern passes the TCP handshake so that a later
    # rule can read the SNI; the connection's traffic is still judged by the rules after it.
    handshake_only: bool = False

    def passes_anywhere(self, variables: dict[str, tuple[str, ...]]) -> bool:
        """A pass rule whose destination may be any host on the internet, with no option naming hosts."""
        ends = (self.destination, self.source) if self.both_ways else (self.destination,)
        return (self.action.lower() == "pass" and not self.options & DOMAIN_OPTIONS and not self.handshake_only
                and any(is_everywhere(end, variables) for end in ends))


def _split(items: str) -> list[str]:
    """A Suricata address list's items (`[a, ![b, c]]`), split at its top-level commas."""
    parts, depth, current = [], 0, ""
    for char in items:
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p.strip() for p in parts + [current] if p.strip()]


def is_everywhere(address: str, variables: dict[str, tuple[str, ...]]) -> bool:
    """Whether a Suricata address (or a 5-tuple header's) includes every internet host: any (the header's ANY), the
    whole IPv4 or IPv6 space however written, a variable that holds one ($EXTERNAL_NET unless the group defines it
    otherwise), a negation of something else (`!$HOME_NET` is everything outside it), or a list with one of these or
    whose blocks, its variables' too, add up to the internet (`[0.0.0.0/1,128.0.0.0/1]`)."""
    address = address.strip()
    if address.startswith("!"):
        return not is_everywhere(address[1:], variables)
    if address.startswith("[") and address.endswith("]"):
        items = _split(address[1:-1])
        blocks = [block for item in items if not item.startswith("!") for block in _blocks(item, variables)]
        return any(is_everywhere(item, variables) for item in items) or bool(internet_cidrs(blocks))
    if address.startswith("$"):
        name = address[1:]
        if name not in variables:
            return name == "EXTERNAL_NET"
        return bool(internet_cidrs(variables[name]))
    return address.lower() == "any" or bool(internet_cidrs([address]))


def _blocks(item: str, variables: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The CIDRs a list item stands for: itself, or a variable's definitions."""
    return variables.get(item[1:], ()) if item.startswith("$") else (item,)


def variables(group: Any) -> dict[str, tuple[str, ...]]:
    """The rule group's IP set variables (`ruleGroup.ruleVariables.ipSets`), each with its known definitions (an
    unknown one counts as none: an unknown value is never a violation)."""
    found = {}
    for entry in peek_items(group, "ruleVariables", "ipSets"):
        key = peek(entry, "key") if is_map(entry) else None
        if isinstance(key, str):
            found[key] = tuple(d.strip() for d in peek_items(entry, "ipSet", "definitions") if isinstance(d, str))
    return found


def _option_names(options: str) -> frozenset[str]:
    """The keywords of a rule's options (`msg:"..."; tls.sni; content:"a";` gives msg, tls.sni, content)."""
    names = (part.split(":", 1)[0].strip().lower() for part in _QUOTED.sub('""', options).split(";"))
    return frozenset(n for n in names if n)


def _sid(options: str) -> Optional[str]:
    found = re.search(r"(?:^|;)\s*sid\s*:\s*(\d+)", _QUOTED.sub('""', options))
    return found.group(1) if found else None


def _header(line: str) -> Optional[tuple[list[str], str]]:
    """A rule line's seven header words (a bracketed address or port list is one word, spaces and all) and its
    options, or None where the line is not one rule."""
    words, depth, current = [], 0, ""
    for at, char in enumerate(line):
        if char == "(" and depth == 0:
            options = line[at + 1:].rstrip()
            if len(words) + bool(current) != 7 or not options.endswith(")"):
                return None
            return words + ([current] if current else []), options[:-1]
        depth += (char == "[") - (char == "]")
        if char.isspace() and depth == 0:
            if current:
                words.append(current)
            current = ""
        else:
            current += char
    return None


def suricata(text: str) -> Iterator[Rule]:
    """The rules of a Suricata rules string: one a line (a line ending in a backslash goes on), `#` comments."""
    for line in re.sub(r"\\\r?\n", " ", text).splitlines():
        read = _header(line.strip())
        if read is None or read[0][4] not in ("->", "<>"):
            continue
        (action, protocol, source, _, direction, destination, _), options = read
        yield Rule(action=action, header=" ".join(read[0]), source=source, destination=destination,
                   both_ways=direction == "<>", options=_option_names(options), sid=_sid(options),
                   handshake_only=_handshake_only(protocol, _QUOTED.sub('""', options)))


def _handshake_only(protocol: str, options: str) -> bool:
    return bool(_SYN_ONLY.search(options)
                or (protocol.lower() in _TCP_PROTOCOLS and _NOT_ESTABLISHED.search(options)))


def _word(value: Any) -> str:
    return value if isinstance(value, str) else "(unknown)" if value is UNKNOWN else "(none)"


def stateful_rule(rule: Any) -> Optional[Rule]:
    """A 5-tuple `statefulRules` entry as a Rule, or None where its action or addresses are not known strings."""
    action, header = peek(rule, "action"), peek(rule, "header")
    fields = {k: peek(header, k) for k in ("protocol", "source", "sourcePort", "direction", "destination",
                                          "destinationPort")} if is_map(header) else {}
    if not isinstance(action, str) or not all(isinstance(fields.get(k), str) for k in ("source", "destination")):
        return None
    options = _options(peek_items(rule, "ruleOptions"))
    sid = next((s for keyword, settings in options if keyword == "sid" for s in settings if isinstance(s, str)),
               None)
    both_ways = fields.get("direction") == "ANY"  # the 5-tuple's `<>`
    words = [action, *(_word(fields.get(k)) for k in ("protocol", "source", "sourcePort")),
             "<>" if both_ways else "->", *(_word(fields.get(k)) for k in ("destination", "destinationPort"))]
    return Rule(action=action, header=" ".join(words), source=fields["source"], destination=fields["destination"],
                both_ways=both_ways, options=frozenset(k for k, _ in options if isinstance(k, str)), sid=sid,
                handshake_only=_options_handshake_only(fields.get("protocol"), options))


def _options(items: list) -> list[tuple[Any, list]]:
    """A 5-tuple rule's `ruleOptions` as (keyword in lower case, settings), UNKNOWN where unknown. A keyword may
    hold the whole option (`sid:1`, as AWS's own examples write it): what follows its first colon is a setting."""
    options = []
    for option in items:
        keyword = peek(option, "keyword") if is_map(option) else UNKNOWN
        settings = peek_items(option, "settings") if is_map(option) else []
        if isinstance(keyword, str):
            keyword, colon, rest = keyword.partition(":")
            keyword, settings = keyword.strip().lower(), [rest.strip(), *settings] if colon else settings
        options.append((keyword, settings))
    return options


def _options_handshake_only(protocol: Any, options: list[tuple[Any, list]]) -> bool:
    """`_handshake_only` for a 5-tuple rule's keywords and settings, read one by one (a setting is the option's
    text, so a `msg` holding `;flow:not_established` is a message, as Suricata reads it). Where an unknown may
    make it so, it counts as one: an unknown value is never a violation."""
    syn = not_established = unsure = False
    for keyword, settings in options:
        if keyword is UNKNOWN:
            unsure = True
        elif keyword in ("flags", "flow"):
            unsure = unsure or UNKNOWN in settings
            words = [w.strip() for s in settings if isinstance(s, str) for w in s.split(",")]
            syn = syn or (keyword == "flags" and words == ["S"])
            not_established = not_established or (keyword == "flow" and "not_established" in words)
    tcp = protocol is UNKNOWN or (isinstance(protocol, str) and protocol.lower() in _TCP_PROTOCOLS)
    return syn or unsure or (not_established and tcp)


def stateless_to_internet(definition: Any) -> Optional[list[str]]:
    """The destinations of a stateless rule's `matchAttributes` that include every internet host, alone or together
    (`0.0.0.0/1` and `128.0.0.0/1`; none given is any), or None when they are not known."""
    destinations = peek_items(definition, "matchAttributes", "destinations")
    addresses = [peek(d, "addressDefinition") if is_map(d) else d for d in destinations]
    if UNKNOWN in addresses:
        return None
    if not addresses:
        return ["any (no destinations)"]
    return internet_cidrs(a.strip() for a in addresses if isinstance(a, str))
