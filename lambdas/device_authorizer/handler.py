"""WebSocket `$connect` REQUEST authorizer: validates a device token and puts the tenant in the context.

Token: `v1.<b64url(JSON {"sub": device, "ten": tenant, "exp": unix seconds})>.<b64url(HMAC-SHA256)>`,
signed over `v1.<payload>` with the environment's signing secret (Secrets Manager, `SIGNING_SECRET_ARN`).
The secret is a plain string, or JSON `{"current": "...", "previous": "..."}` while it rotates.

Environment:
    SIGNING_SECRET_ARN   the secret holding the signing key
    ALLOWED_TENANTS      comma-separated tenant ids this stack serves
    IDENTITY_SOURCE      where the token is: "header" (Authorization: Bearer, the default) or "query" (token=)
    CLOCK_SKEW_SECONDS   tolerance on `exp` (default 30)
    MAX_TOKEN_SECONDS    how far ahead `exp` may lie (default 86400): a leaked token is good for at most this long

Only the standard library and the runtime's boto3 (imported lazily, so tests inject a fake client).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import time
from typing import Any, Callable, Mapping, Optional

TOKEN_VERSION = "v1"
# Whole strings (fullmatch): `$` would let a trailing newline through.
DEVICE_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")
TENANT_RE = re.compile(r"[a-z][a-z0-9-]{0,38}[a-z0-9]")
# Cache the secret between invocations of one execution environment, but re-read it after rotation.
SECRET_CACHE_SECONDS = 300
# A signature no cached key matches may be a key rotated in since the last read: read again, at most this often.
SECRET_REREAD_SECONDS = 30
# When Secrets Manager is throttled or unreachable (not one of SECRET_REFUSALS), keep using keys read this
# recently, and try again after a pause.
SECRET_STALE_SECONDS = 3600
SECRET_RETRY_SECONDS = 30
# Secrets Manager's answers that the secret cannot be read at all (deleted or marked for deletion, its key disabled,
# this function's access revoked), as opposed to an outage: the levers an incident pulls, so the keys go at once.
SECRET_REFUSALS = frozenset({"ResourceNotFoundException", "InvalidRequestException", "DecryptionFailure",
                             "AccessDeniedException"})
# The keys a rotation writes as JSON; any other is a typo (`curent`) that would leave the new key out.
SECRET_FIELDS = ("current", "previous")
# A token is checked only at $connect and cannot be revoked one by one (only by rotating the fleet's secret), so
# its expiry is the bound on a stolen token's use: one that claims to live longer is refused.
MAX_TOKEN_SECONDS = 86400
# An HMAC-SHA256 key shorter than the hash's 32 bytes gives less than its strength (RFC 2104, section 3), and one
# token is enough to test guesses of a short key offline: the secret is refused as written wrong.
MIN_KEY_BYTES = 32


class Denied(Exception):
    """The request does not carry a valid credential; the message says why (it is logged, never returned)."""


class BadSignature(Denied):
    """No key the authorizer holds signed the token: perhaps one rotated in since it last read the secret."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise Denied("token is not base64url") from exc


def _signature(key: bytes, signed: str) -> str:
    return _b64encode(hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest())


def sign_token(key: bytes, device_id: str, tenant: str, expires_at: int) -> str:
    """Mint a token (device-service does the same with the same secret)."""
    payload = _b64encode(json.dumps({"sub": device_id, "ten": tenant, "exp": int(expires_at)},
                                    separators=(",", ":"), sort_keys=True).encode())
    signed = f"{TOKEN_VERSION}.{payload}"
    return f"{signed}.{_signature(key, signed)}"


def verify_token(token: str, keys: list[bytes], now: float, allowed_tenants: frozenset[str],
                 clock_skew: int = 30, max_lifetime: int = MAX_TOKEN_SECONDS) -> dict[str, Any]:
    """The token's claims ({"sub", "ten", "exp"}) if it is well formed, signed by one of `keys`, neither
    expired nor expiring more than `max_lifetime` seconds from now, and for an allowed tenant; otherwise Denied."""
    # A token is base64url and dots: anything else is refused before it is encoded or compared.
    if not token.isascii():
        raise Denied("token is not ASCII")
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_VERSION:
        raise Denied("token is not v1.<payload>.<signature>")
    signed = f"{parts[0]}.{parts[1]}"
    if not any(hmac.compare_digest(_signature(key, signed), parts[2]) for key in keys):
        raise BadSignature("bad signature")
    try:
        claims = json.loads(_b64decode(parts[1]))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # a number too long to read is a ValueError
        raise Denied("payload is not JSON") from exc
    if not isinstance(claims, dict):
        raise Denied("payload is not an object")
    device, tenant, expires = claims.get("sub"), claims.get("ten"), claims.get("exp")
    if not isinstance(device, str) or not DEVICE_ID_RE.fullmatch(device):
        raise Denied("sub is not a device id")
    if not isinstance(tenant, str) or not TENANT_RE.fullmatch(tenant):
        raise Denied("ten is not a tenant id")
    if isinstance(expires, bool) or not isinstance(expires, int):
        raise Denied("exp is not an integer")
    if expires + clock_skew < now:
        raise Denied("token expired")
    if expires - clock_skew > now + max_lifetime:
        raise Denied(f"token expires more than {max_lifetime} s from now")
    if tenant not in allowed_tenants:
        raise Denied(f"tenant {tenant} is not served here")
    return {"sub": device, "ten": tenant, "exp": expires}


def _named(values: Optional[Mapping[str, Any]], name: str) -> list:
    # API Gateway passes headers as sent; HTTP header names are case-insensitive.
    return [value for key, value in (values or {}).items() if key.lower() == name.lower()]


def _header(event: Mapping[str, Any], name: str) -> Optional[str]:
    found = _named(event.get("headers"), name)
    return found[0] if found else None


def _query(event: Mapping[str, Any], name: str) -> Optional[str]:
    return (event.get("queryStringParameters") or {}).get(name)


def token_from(event: Mapping[str, Any], source: str = "header") -> str:
    """The token where websocketApi.identitySource says it is, and only there: the Bearer token of the Authorization
    header, or the `token` query parameter (a proxy in front of the device may add an Authorization header of its
    own, which is not the device's; and a stack that chose the header keeps tokens out of URLs and their logs)."""
    if source == "query":
        token = _query(event, "token")
        if not token:
            raise Denied("no token query parameter")
        return token
    authorization = _header(event, "Authorization")
    if not authorization:
        raise Denied("no token in the Authorization header")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Denied("Authorization is not 'Bearer <token>'")
    return token.strip()


def requested_tenants(event: Mapping[str, Any]) -> set[str]:
    """Every tenant the request names: the X-Tenant-Id header and the `tenant` query parameter, each of their values
    (API Gateway passes a repeated one in the multi-value maps). Each must be the token's: taking the header alone
    would let `?tenant=` name another tenant unchecked."""
    named = [*_named(event.get("headers"), "X-Tenant-Id"), _query(event, "tenant")]
    for values in _named(event.get("multiValueHeaders"), "X-Tenant-Id"):
        named += values or ()
    named += (event.get("multiValueQueryStringParameters") or {}).get("tenant") or ()
    return {tenant for tenant in named if tenant}  # an empty value names no tenant


def policy(principal: str, effect: str, resource: str, context: Optional[dict[str, str]] = None) -> dict:
    response: dict[str, Any] = {
        "principalId": principal,
        "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}]},
    }
    if context:
        response["context"] = context
    return response


def authorize(event: Mapping[str, Any], keys: list[bytes], now: float, allowed_tenants: frozenset[str],
              clock_skew: int = 30, log: Callable[[str], None] = print, *,
              max_lifetime: int = MAX_TOKEN_SECONDS, newer_keys: Callable[[], Optional[list[bytes]]] = lambda: None,
              identity_source: str = "header") -> dict:
    """The authorizer's answer for one `$connect` request: Allow with tenant and device in the context, or
    Deny (API Gateway answers 403 and never opens the connection). On a bad signature, `newer_keys()` (keys read
    again since, or None) gets one more try."""
    resource = event.get("methodArn") if isinstance(event.get("methodArn"), str) else None
    try:
        if not resource:
            raise Denied("the request has no methodArn")  # API Gateway always sends one: allow nothing wider
        token = token_from(event, identity_source)
        try:
            claims = verify_token(token, keys, now, allowed_tenants, clock_skew, max_lifetime)
        except BadSignature:
            newer = newer_keys()
            if not newer:
                raise
            claims = verify_token(token, newer, now, allowed_tenants, clock_skew, max_lifetime)
        others = requested_tenants(event) - {claims["ten"]}
        if others:
            raise Denied(f"token is for tenant {claims['ten']}, the request asks for {', '.join(sorted(others))}")
    except Denied as denied:
        # The reason goes to the function's log, never to the caller and never with the token itself.
        log(json.dumps({"decision": "deny", "reason": str(denied),
                        "connectionId": (event.get("requestContext") or {}).get("connectionId")}))
        return policy("anonymous", "Deny", resource or "*")
    return policy(claims["sub"], "Allow", resource,
                  {"tenantId": claims["ten"], "deviceId": claims["sub"], "tokenExpiresAt": str(claims["exp"])})


def keys_from_secret(secret_string: str, log: Callable[[str], None] = print) -> list[bytes]:
    """The signing keys in a secret: a plain string, or {"current", "previous"} during rotation (`previous`
    optional; `current` a key, as any other field or a `current` that is none would leave the new key out)."""
    try:
        document = json.loads(secret_string)
    except json.JSONDecodeError:
        document = None
    except RecursionError:
        raise ValueError("the signing secret is JSON nested too deep to read") from None
    if isinstance(document, dict):
        unknown = sorted(k for k in document if k not in SECRET_FIELDS)
        if unknown:
            raise ValueError(f"the signing secret has fields {', '.join(map(repr, unknown))}; it holds 'current' "
                             "and, during a rotation, 'previous'")
        if not isinstance(document.get("current"), str) or not document["current"]:
            raise ValueError("the signing secret's 'current' is not a key")
        if not isinstance(document.get("previous"), (str, type(None))):
            raise ValueError("the signing secret's 'previous' is not a key (a string, or empty once rotated)")
        named = {k: document[k] for k in SECRET_FIELDS if isinstance(document.get(k), str) and document[k]}
    elif not secret_string:
        raise ValueError("the signing secret is empty")
    else:
        named = {"the key": secret_string}
    keys = {name: key.encode() for name, key in named.items()}
    short = {name: len(key) for name, key in keys.items() if len(key) < MIN_KEY_BYTES}  # lengths only, never keys
    if set(short) == {"previous"} and "current" in keys:
        # The key a rotation is moving away from, written before the minimum: left out (the tokens it signed are
        # refused) while the current key keeps the fleet connecting; refusing the whole secret would refuse every
        # device until `previous` is dropped.
        del keys["previous"]
        log(json.dumps({"signingSecret": "left out its previous key", "bytes": short["previous"],
                        "minimum": MIN_KEY_BYTES}))
    elif short:
        name, length = next(iter(short.items()))
        raise ValueError(f"the signing secret's {name} is {length} bytes; an HMAC-SHA256 key needs at least "
                         f"{MIN_KEY_BYTES} (openssl rand -base64 48)")
    return list(keys.values())


class SigningKeys:
    """Reads the signing secret through an injected Secrets Manager client and caches it for a while."""

    # The wall clock, not the monotonic one: whether the monotonic clock goes on while Lambda freezes an idle
    # execution environment is not documented, and a thawed environment must not take keys of hours ago for fresh.
    def __init__(self, client: Any, secret_arn: str, clock: Callable[[], float] = time.time,
                 log: Callable[[str], None] = print):
        self._client, self._arn, self._clock, self._log = client, secret_arn, clock, log
        self._keys: list[bytes] = []
        self._read_at = float("-inf")
        self._paused_at, self._retry_at = float("-inf"), float("-inf")  # no read between them
        self._failure = "the secret has not been read"  # why there are no keys, for the error that says so

    def _age(self, now: float) -> float:
        """Seconds since the last read; a clock set back since makes the keys as old as can be."""
        return now - self._read_at if now >= self._read_at else float("inf")

    def _paused(self, now: float) -> bool:
        """Within the pause after a failed read (a clock set back before it began ends it)."""
        return self._paused_at <= now < self._retry_at

    def _drop(self, now: float, failure: str) -> None:
        """No keys, and no read for a pause (a flood of calls would otherwise each read, and wait, again)."""
        self._keys, self._read_at, self._failure = [], float("-inf"), failure
        self._paused_at, self._retry_at = now, now + SECRET_RETRY_SECONDS

    def get(self) -> list[bytes]:
        now = self._clock()
        if self._age(now) >= SECRET_CACHE_SECONDS and not self._paused(now):
            self._read(now)
        if not self._keys:
            raise ValueError(f"no signing keys: {self._failure}")
        return self._keys

    def newer(self) -> Optional[list[bytes]]:
        """The secret read again, when a token's signature matched no cached key, if the keys were read more than
        SECRET_REREAD_SECONDS ago (so a flood of bad tokens reads it at most that often) and have changed."""
        now = self._clock()
        if self._age(now) < SECRET_REREAD_SECONDS or self._paused(now):
            return None
        before = self._keys
        self._read(now)
        return self._keys if self._keys != before else None

    def _read(self, now: float) -> None:
        try:
            answer = self._client.get_secret_value(SecretId=self._arn)
        except Exception as error:  # refused: drop the keys; throttled, unreachable: keep recent ones a while
            # botocore's ClientError carries the service's code; its timeouts and connection errors carry
            # `response` None, or none at all.
            code = ((getattr(error, "response", None) or {}).get("Error") or {}).get("Code")
            if code in SECRET_REFUSALS:
                self._drop(now, f"Secrets Manager refused the last read ({code})")
                self._log(json.dumps({"signingSecret": "dropped the keys: the secret cannot be read", "code": code}))
                raise
            if not self._keys or self._age(now) >= SECRET_STALE_SECONDS:
                self._drop(now, f"the last read failed ({code or type(error).__name__}) with no keys read within "
                                "the hour")
                raise
            # The pause ends no later than the hour: keys are never used once they are SECRET_STALE_SECONDS old.
            self._paused_at = now
            self._retry_at = min(now + SECRET_RETRY_SECONDS, self._read_at + SECRET_STALE_SECONDS)
            self._log(json.dumps({"signingSecret": "kept the keys read before", "error": type(error).__name__,
                                  "code": code}))
            return
        # The secret was read, so what it holds is the truth: a leaked key replaced by one written wrong must not
        # stay good for the hour stale keys are kept through an outage. No keys, every call fails (and the errors
        # alarm says so) until the secret is written right; it is read again after a pause.
        try:
            if "SecretString" not in answer:
                raise ValueError("the signing secret is binary; store the key as text")
            self._keys = keys_from_secret(answer["SecretString"], self._log)
            self._read_at, self._paused_at, self._retry_at = now, float("-inf"), float("-inf")
        except ValueError as error:
            # Read again after the pause, however recently the last good read was.
            self._drop(now, f"the secret was last read written wrong ({error})")
            raise


_SIGNING_KEYS: Optional[SigningKeys] = None


def handler(event: Mapping[str, Any], context: Any) -> dict:
    global _SIGNING_KEYS
    if _SIGNING_KEYS is None:
        import boto3  # in the Lambda runtime; imported here so the module loads without it
        from botocore.config import Config

        arn = os.environ["SIGNING_SECRET_ARN"]
        # The secret's own region (a client defaults to the function's); short timeouts and one retry, within
        # the function's 8 s timeout (components/websocket_api.py), so a failed read ends here, not in a timeout.
        client = boto3.client("secretsmanager", region_name=arn.split(":")[3], config=Config(
            connect_timeout=1, read_timeout=1, retries={"total_max_attempts": 2, "mode": "standard"}))
        _SIGNING_KEYS = SigningKeys(client, arn)
    tenants = frozenset(t for t in os.environ.get("ALLOWED_TENANTS", "").split(",") if t)
    return authorize(event, _SIGNING_KEYS.get(), time.time(), tenants,
                     int(os.environ.get("CLOCK_SKEW_SECONDS", "30")),
                     max_lifetime=int(os.environ.get("MAX_TOKEN_SECONDS", str(MAX_TOKEN_SECONDS))),
                     newer_keys=_SIGNING_KEYS.newer, identity_source=os.environ.get("IDENTITY_SOURCE", "header"))
