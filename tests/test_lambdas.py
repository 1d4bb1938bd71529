"""Unit tests of the Lambda handlers in lambdas/: their logic with injected clients, no boto3, no AWS."""
from __future__ import annotations

import ast
import json
import re
import sys
import time
from typing import Optional

import pytest

from tests.conftest import LAMBDAS, lambda_handler

auth = lambda_handler("device_authorizer")
conn = lambda_handler("connections")
restart = lambda_handler("restart_service")

KEY = b"k" * 32
NOW = 1_800_000_000


def key(name: str) -> str:
    """A signing key the authorizer accepts (at least MIN_KEY_BYTES), told apart by its name."""
    return f"{name}-signing-key-of-at-least-32-bytes"
TENANTS = frozenset({"acme", "globex"})
ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/iot/$connect"


def event(headers=None, query=None):
    return {"methodArn": ARN, "headers": headers, "queryStringParameters": query,
            "requestContext": {"connectionId": "c1", "routeKey": "$connect"}}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def decide(evt, keys=(KEY,), now=NOW, source="header"):
    logged = []
    result = auth.authorize(evt, list(keys), now, TENANTS, 30, logged.append, identity_source=source)
    return result, logged


def effect(result):
    statements = result["policyDocument"]["Statement"]
    assert len(statements) == 1 and statements[0]["Resource"] == ARN
    assert statements[0]["Action"] == "execute-api:Invoke"
    return statements[0]["Effect"]


# --- the authorizer ------------------------------------------------------------------------------


def test_valid_token_allows_with_tenant_and_device_in_context():
    token = auth.sign_token(KEY, "sensor-0001", "acme", NOW + 600)
    result, logged = decide(event(headers=bearer(token)))
    assert effect(result) == "Allow"
    assert result["principalId"] == "sensor-0001"
    assert result["context"] == {"tenantId": "acme", "deviceId": "sensor-0001", "tokenExpiresAt": str(NOW + 600)}
    assert logged == []


# A token as device-service must mint it, worked out apart from the handler: HMAC-SHA256 under the secret's text
# (UTF-8) over "v1.<payload>", the claims as compact JSON with sorted keys, base64url without padding throughout.
VECTOR_SECRET = "device-token-signing-key-for-tests"
VECTOR = ("v1.eyJleHAiOjE4MDAwMDA2MDAsInN1YiI6InNlbnNvci0wMDAxIiwidGVuIjoiYWNtZSJ9."
          "6qh41R1QHzFtbocdp6YqIxYZZoLDqBs_QkAxRxGaY8s")


def test_the_token_format_is_pinned_by_a_known_answer():
    keys = auth.keys_from_secret(VECTOR_SECRET)
    assert auth.sign_token(keys[0], "sensor-0001", "acme", NOW + 600) == VECTOR
    assert effect(decide(event(headers=bearer(VECTOR)), keys=keys)[0]) == "Allow"
    # Every other signature is refused, one character off included (a comparison of a prefix would pass it).
    signed, signature = VECTOR.rsplit(".", 1)
    for i in (0, len(signature) // 2, len(signature) - 1):
        wrong = signature[:i] + ("A" if signature[i] != "A" else "B") + signature[i + 1:]
        result, logged = decide(event(headers=bearer(f"{signed}.{wrong}")), keys=keys)
        assert effect(result) == "Deny" and json.loads(logged[0])["reason"] == "bad signature"


def test_ids_with_a_trailing_newline_are_denied():
    """`$` matches before a final newline: the ids are matched whole."""
    for device, tenant, reason in (("d1\n", "acme", "sub is not a device id"),
                                   ("d1", "acme\n", "ten is not a tenant id")):
        result, logged = decide(event(headers=bearer(auth.sign_token(KEY, device, tenant, NOW + 60))))
        assert effect(result) == "Deny" and json.loads(logged[0])["reason"] == reason, (device, tenant)


def test_header_name_is_case_insensitive_and_query_string_works():
    token = auth.sign_token(KEY, "d1", "globex", NOW + 60)
    assert effect(decide(event(headers={"authorization": f"bearer {token}"}))[0]) == "Allow"
    assert effect(decide(event(query={"token": token}), source="query")[0]) == "Allow"


def test_expired_token_is_denied_beyond_the_clock_skew():
    token = auth.sign_token(KEY, "d1", "acme", NOW - 31)
    result, logged = decide(event(headers=bearer(token)))
    assert effect(result) == "Deny" and "context" not in result
    assert json.loads(logged[0])["reason"] == "token expired"
    # Within the 30 s skew it is still accepted.
    assert effect(decide(event(headers=bearer(auth.sign_token(KEY, "d1", "acme", NOW - 29))))[0]) == "Allow"


def test_a_token_that_claims_to_live_longer_than_the_limit_is_denied():
    # A stolen token is good until it expires (tokens are checked at $connect and revoked only with the secret).
    longest = auth.sign_token(KEY, "d1", "acme", NOW + auth.MAX_TOKEN_SECONDS + 30)  # within the 30 s skew
    assert effect(decide(event(headers=bearer(longest)))[0]) == "Allow"
    result, logged = decide(event(headers=bearer(auth.sign_token(KEY, "d1", "acme", NOW + 86400 + 31))))
    assert effect(result) == "Deny" and "context" not in result
    assert json.loads(logged[0])["reason"] == "token expires more than 86400 s from now"
    # The stack's websocketApi.maxTokenHours reaches the authorizer as MAX_TOKEN_SECONDS.
    hour = auth.sign_token(KEY, "d1", "acme", NOW + 3600 + 31)
    logged = []
    assert effect(auth.authorize(event(headers=bearer(hour)), [KEY], NOW, TENANTS, 30, logged.append,
                                 max_lifetime=3600)) == "Deny"
    assert effect(auth.authorize(event(headers=bearer(hour)), [KEY], NOW, TENANTS, 30, logged.append,
                                 max_lifetime=7200)) == "Allow"


def test_the_handler_reads_the_limit_from_its_environment(monkeypatch):
    class Secrets:
        def get_secret_value(self, SecretId):
            return {"SecretString": KEY.decode()}

    monkeypatch.setattr(auth, "_SIGNING_KEYS", auth.SigningKeys(Secrets(), "arn:secret"))
    monkeypatch.setenv("ALLOWED_TENANTS", "acme")
    import time
    token = auth.sign_token(KEY, "d1", "acme", int(time.time()) + 3600 + 120)
    assert effect(auth.handler(event(headers=bearer(token)), None)) == "Allow"  # the default: 24 h
    monkeypatch.setenv("MAX_TOKEN_SECONDS", "3600")
    assert effect(auth.handler(event(headers=bearer(token)), None)) == "Deny"
    # Where the token is: the stack's websocketApi.identitySource (config.WebsocketApiConfig.authorizer_environment).
    short = auth.sign_token(KEY, "d1", "acme", int(time.time()) + 600)
    assert effect(auth.handler(event(query={"token": short}), None)) == "Deny"
    monkeypatch.setenv("IDENTITY_SOURCE", "query")
    assert effect(auth.handler(event(query={"token": short}), None)) == "Allow"


def test_tenant_not_served_by_this_stack_is_denied():
    token = auth.sign_token(KEY, "d1", "initech", NOW + 60)
    result, logged = decide(event(headers=bearer(token)))
    assert effect(result) == "Deny"
    assert "initech" in json.loads(logged[0])["reason"]


def test_request_for_another_tenant_than_the_token_is_denied():
    token = auth.sign_token(KEY, "d1", "acme", NOW + 60)
    result, logged = decide(event(headers={**bearer(token), "X-Tenant-Id": "globex"}))
    assert effect(result) == "Deny"
    assert "globex" in json.loads(logged[0])["reason"]
    assert effect(decide(event(headers=bearer(token), query={"tenant": "acme"}))[0]) == "Allow"


@pytest.mark.parametrize("extra", [
    # The header names the token's tenant, the query string another: each place a tenant is named is checked.
    {"headers": {"X-Tenant-Id": "acme"}, "queryStringParameters": {"tenant": "globex"}},
    # A repeated parameter or header: API Gateway keeps one value in the plain map, every value in the multi-value one.
    {"queryStringParameters": {"tenant": "acme"}, "multiValueQueryStringParameters": {"tenant": ["globex", "acme"]}},
    {"headers": {"x-tenant-id": "acme"}, "multiValueHeaders": {"x-tenant-id": ["globex", "acme"]}},
])
def test_a_request_naming_another_tenant_anywhere_is_denied(extra):
    token = auth.sign_token(KEY, "d1", "acme", NOW + 60)
    evt = event(headers=bearer(token))
    evt["headers"] = {**evt["headers"], **extra.pop("headers", {})}
    result, logged = decide({**evt, **extra})
    assert effect(result) == "Deny"
    assert json.loads(logged[0])["reason"] == "token is for tenant acme, the request asks for globex"


def test_a_request_naming_only_the_tokens_tenant_or_none_is_allowed():
    token = auth.sign_token(KEY, "d1", "acme", NOW + 60)
    for headers, query in (({"X-Tenant-Id": "acme"}, {"tenant": "acme"}), ({"X-Tenant-Id": ""}, None), ({}, {})):
        assert effect(decide(event(headers={**bearer(token), **headers}, query=query))[0]) == "Allow"


@pytest.mark.parametrize("headers,query,source,reason", [
    (None, None, "header", "no token in the Authorization header"),
    ({}, {}, "header", "no token in the Authorization header"),
    ({"Authorization": "Basic dXNlcjpwdw=="}, None, "header", "Authorization is not 'Bearer <token>'"),
    ({"Authorization": "Bearer "}, None, "header", "Authorization is not 'Bearer <token>'"),
    (None, None, "query", "no token query parameter"),
    ({}, {"token": ""}, "query", "no token query parameter"),
])
def test_missing_or_malformed_authorization_is_denied(headers, query, source, reason):
    result, logged = decide(event(headers=headers, query=query), source=source)
    assert effect(result) == "Deny"
    assert json.loads(logged[0])["reason"] == reason


def test_the_token_is_read_where_the_stack_says_and_only_there():
    """With identitySource query, a proxy's own Bearer header must not hide the device's token; with header, a token
    in the URL (which proxies log) is not taken."""
    token = auth.sign_token(KEY, "d1", "acme", NOW + 60)
    proxied = event(headers={"Authorization": "Bearer proxy-session-xyz"}, query={"token": token})
    assert effect(decide(proxied, source="query")[0]) == "Allow"
    assert effect(decide(proxied, source="header")[0]) == "Deny"
    in_url = event(headers={"Authorization": "x"}, query={"token": token})
    assert effect(decide(in_url, source="header")[0]) == "Deny"
    assert effect(decide(event(headers=bearer(token), query=None), source="query")[0]) == "Deny"


def test_a_binary_signing_secret_is_a_clear_error():
    class Binary:
        def get_secret_value(self, SecretId):
            return {"SecretBinary": b"key"}

    with pytest.raises(ValueError, match="the signing secret is binary; store the key as text"):
        auth.SigningKeys(Binary(), "arn:secret").get()


def test_a_readable_secret_written_wrong_drops_the_keys_at_once_not_after_the_hour():
    """A leaked key replaced by a typo (`curent`) must not stay good for the hour an outage keeps keys: every call
    fails until the secret is written right, read again after a pause."""
    secrets, clock = FakeSecrets(key("leaked")), [1000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=lambda line: None)
    assert keys.get() == [key("leaked").encode()]
    secrets.value = json.dumps({"curent": key("fresh")})
    clock[0] += auth.SECRET_CACHE_SECONDS
    with pytest.raises(ValueError, match="has fields 'curent'"):
        keys.get()
    with pytest.raises(ValueError, match="no signing keys"):
        keys.get()  # within the pause: no read, and no key
    assert keys.newer() is None
    secrets.value = json.dumps({"current": key("fresh")})
    clock[0] += auth.SECRET_RETRY_SECONDS
    assert keys.get() == [key("fresh").encode()]


def test_a_secret_written_wrong_found_by_a_reread_is_read_again_after_the_pause_not_the_cache_period():
    """The bad secret may first be read for a token no cached key matches (newer()), soon after a good read."""
    secrets, clock = FakeSecrets(key("old")), [1000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=lambda line: None)
    assert keys.get() == [key("old").encode()]
    secrets.value = "{}"
    clock[0] += auth.SECRET_REREAD_SECONDS
    with pytest.raises(ValueError, match="'current' is not a key"):
        keys.newer()
    secrets.value = key("fixed")
    clock[0] += auth.SECRET_RETRY_SECONDS
    assert keys.get() == [key("fixed").encode()]  # 60 s after the good read, long before its cache period ends


def test_a_signed_payload_with_a_number_too_long_to_read_is_denied_not_an_error():
    payload = auth._b64encode(('{"sub": "d1", "ten": "acme", "exp": ' + "1" * 5000 + "}").encode())
    token = f"v1.{payload}.{auth._signature(KEY, f'v1.{payload}')}"
    result, logged = decide(event(headers=bearer(token)))
    assert effect(result) == "Deny" and json.loads(logged[0])["reason"] == "payload is not JSON"


def test_tampered_payload_or_wrong_key_is_denied_and_the_token_is_never_logged():
    token = auth.sign_token(KEY, "d1", "acme", NOW + 60)
    version, _, signature = token.split(".")
    forged_payload = auth._b64encode(json.dumps({"sub": "d1", "ten": "globex", "exp": NOW + 60}).encode())
    for bad in (f"{version}.{forged_payload}.{signature}", auth.sign_token(b"other-key", "d1", "acme", NOW + 60),
                "v2." + token[3:], "not-a-token"):
        result, logged = decide(event(headers=bearer(bad)))
        assert effect(result) == "Deny", bad
        assert bad not in logged[0]


@pytest.mark.parametrize("token", ["v1.\u00e9.x", "v1.abc.\u00e9", "\u00e9"])
def test_a_token_that_is_not_ascii_is_denied_not_an_error(token):
    # Raised as UnicodeEncodeError or TypeError (hmac.compare_digest on non-ASCII str), it became a 500 and a
    # data point for the authorizer's error alarm: anyone could page the on-call.
    for evt, source in ((event(headers=bearer(token)), "header"), (event(query={"token": token}), "query")):
        result, logged = decide(evt, source=source)
        assert effect(result) == "Deny" and json.loads(logged[0])["reason"] == "token is not ASCII"


def test_signed_but_malformed_claims_are_denied():
    def signed(payload: bytes) -> str:
        body = f"v1.{auth._b64encode(payload)}"
        return f"{body}.{auth._signature(KEY, body)}"

    for payload, reason in ((b"[1]", "not an object"), (b"\xff", "not JSON"),
                            (json.dumps({"sub": "d1", "ten": "acme", "exp": "soon"}).encode(), "exp"),
                            (json.dumps({"sub": "", "ten": "acme", "exp": NOW}).encode(), "sub"),
                            (json.dumps({"sub": "d1", "ten": "ACME", "exp": NOW}).encode(), "ten")):
        result, logged = decide(event(headers=bearer(signed(payload))))
        assert effect(result) == "Deny"
        assert reason in json.loads(logged[0])["reason"]


def test_rotation_accepts_current_and_previous_keys():
    keys = auth.keys_from_secret(json.dumps({"current": key("new"), "previous": key("old")}))
    assert keys == [key("new").encode(), key("old").encode()]
    token = auth.sign_token(key("old").encode(), "d1", "acme", NOW + 60)
    assert effect(decide(event(headers=bearer(token)), keys=keys)[0]) == "Allow"
    assert auth.keys_from_secret(key("plain")) == [key("plain").encode()]
    with pytest.raises(ValueError):
        auth.keys_from_secret(json.dumps({"other": "x"}))
    with pytest.raises(ValueError):
        auth.keys_from_secret("")


@pytest.mark.parametrize("secret,name", [
    ("hunter2", "the key"), (json.dumps({"current": "short", "previous": key("old")}), "current"),
    (json.dumps({"current": key("new"), "previous": "é" * 15}), None),  # left out, below
    (json.dumps({"current": "é" * 15}), "current"),  # 30 bytes in UTF-8, as the signature keys with it
    (json.dumps({"current": "short", "previous": "old"}), "current"),  # both short: no key left to keep
])
def test_a_signing_key_shorter_than_32_bytes_is_refused_and_never_logged(secret, name):
    """One captured token lets anyone test guesses of the key offline: a short key is the secret written wrong
    (every call fails and the errors alarm says so), and the error names which key and its length, not the key."""
    if name is None:
        logged = []
        assert auth.keys_from_secret(secret, logged.append) == [key("new").encode()]
        assert "é" not in logged[0]
        return
    with pytest.raises(ValueError) as caught:
        auth.keys_from_secret(secret)
    assert str(caught.value).startswith(f"the signing secret's {name} is ")
    assert "bytes; an HMAC-SHA256 key needs at least 32 (openssl rand -base64 48)" in str(caught.value)
    assert "hunter2" not in str(caught.value) and "short" not in str(caught.value)
    assert auth.keys_from_secret("k" * auth.MIN_KEY_BYTES) == [b"k" * 32]


class FakeSecrets:
    def __init__(self, value):
        self.value, self.calls = value, []

    def get_secret_value(self, SecretId):
        self.calls.append(SecretId)
        return {"SecretString": self.value}


def test_a_rotation_away_from_a_short_key_keeps_the_current_one():
    """The rotation a short key calls for, `{"current": <new>, "previous": <the short one>}`, refused the whole
    secret, so every device stayed refused until `previous` was dropped: the short previous key is left out (the
    tokens it signed are refused), the current one signs, and the log says so with the length only."""
    logged: list = []
    keys = auth.SigningKeys(FakeSecrets(json.dumps({"current": key("new"), "previous": "short-old"})), "arn:secret",
                            log=logged.append)
    assert keys.get() == [key("new").encode()]
    assert effect(decide(event(headers=bearer(auth.sign_token(key("new").encode(), "d1", "acme", NOW + 60))),
                         keys=keys.get())[0]) == "Allow"
    assert effect(decide(event(headers=bearer(auth.sign_token(b"short-old", "d1", "acme", NOW + 60))),
                         keys=keys.get())[0]) == "Deny"
    assert [json.loads(line) for line in logged] == [
        {"signingSecret": "left out its previous key", "bytes": 9, "minimum": 32}]
    assert "short-old" not in "".join(logged)


def test_signing_keys_are_cached_then_reread_after_the_cache_period():
    secrets, clock = FakeSecrets(key("first")), [1000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0])
    assert keys.get() == [key("first").encode()]
    secrets.value = key("second")
    clock[0] += auth.SECRET_CACHE_SECONDS - 1
    assert keys.get() == [key("first").encode()]
    clock[0] += 1
    assert keys.get() == [key("second").encode()]
    assert secrets.calls == ["arn:secret", "arn:secret"]


def test_a_token_signed_with_a_key_rotated_in_since_the_last_read_is_checked_against_the_secret_read_again():
    secrets, clock = FakeSecrets(key("old")), [1000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=lambda line: None)
    new_token = bearer(auth.sign_token(key("new").encode(), "d1", "acme", NOW + 60))

    def decide_now():
        logged = []
        return effect(auth.authorize(event(headers=new_token), keys.get(), NOW, TENANTS, 30, logged.append,
                                     newer_keys=keys.newer)), logged

    assert decide_now()[0] == "Deny"  # the secret still holds only the old key
    secrets.value = json.dumps({"current": key("new"), "previous": key("old")})
    clock[0] += auth.SECRET_REREAD_SECONDS - 1
    assert decide_now()[0] == "Deny" and len(secrets.calls) == 1  # read again at most every SECRET_REREAD_SECONDS
    clock[0] += 1
    assert decide_now() == ("Allow", []) and len(secrets.calls) == 2  # well before SECRET_CACHE_SECONDS
    clock[0] += auth.SECRET_REREAD_SECONDS
    assert keys.newer() is None and len(secrets.calls) == 3  # read again, unchanged: no second try
    # A forged token reads it again at most every SECRET_REREAD_SECONDS, and is still refused.
    clock[0] += auth.SECRET_REREAD_SECONDS
    forged = bearer(auth.sign_token(b"forged", "d1", "acme", NOW + 60))
    result = auth.authorize(event(headers=forged), keys.get(), NOW, TENANTS, 30, [].append, newer_keys=keys.newer)
    assert effect(result) == "Deny" and len(secrets.calls) == 4


class FailingSecrets(FakeSecrets):
    def get_secret_value(self, SecretId):
        if self.value is None:
            self.calls.append("failed")
            raise ConnectionError("Secrets Manager unreachable")
        return super().get_secret_value(SecretId)


class Refusing(FakeSecrets):
    """Reads work until `code` is set; then each fails as botocore's ClientError does, with that error code."""

    code: Optional[str] = None

    def get_secret_value(self, SecretId):
        if self.code is not None:
            self.calls.append("failed")
            error = Exception(self.code)
            error.response = {"Error": {"Code": self.code}}
            raise error
        return super().get_secret_value(SecretId)


def test_a_throttled_read_keeps_the_keys_and_logs_its_error_code():
    secrets, clock, logged = Refusing(key("first")), [1000.0], []
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=logged.append)
    keys.get()
    secrets.code, clock[0] = "ThrottlingException", clock[0] + auth.SECRET_CACHE_SECONDS
    assert keys.get() == [key("first").encode()]
    assert json.loads(logged[0]) == {"signingSecret": "kept the keys read before", "error": "Exception",
                                     "code": "ThrottlingException"}


# Secrets Manager's GetSecretValue errors for a secret deleted (or scheduled for deletion), its KMS key disabled, or
# this function's access revoked: written out, so a code dropped from the handler's set fails its case here.
REFUSALS = ("AccessDeniedException", "DecryptionFailure", "InvalidRequestException", "ResourceNotFoundException")


def test_the_handler_takes_exactly_these_codes_as_refusals():
    assert auth.SECRET_REFUSALS == set(REFUSALS)


@pytest.mark.parametrize("code", REFUSALS)
def test_a_secret_deleted_disabled_or_denied_drops_the_keys_at_the_next_read_not_after_the_hour(code):
    """Deleting the secret, disabling its key or revoking the function's access are what an incident reaches for
    when a key leaks: the keys read before go at the next read (within the cache period), as for a secret written
    wrong, and the secret is read again after the pause."""
    secrets, clock, logged = Refusing(key("leaked")), [1000.0], []
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=logged.append)
    keys.get()
    secrets.code, clock[0] = code, clock[0] + auth.SECRET_CACHE_SECONDS
    with pytest.raises(Exception, match=code):
        keys.get()
    assert json.loads(logged[0]) == {"signingSecret": "dropped the keys: the secret cannot be read", "code": code}
    with pytest.raises(ValueError, match=f"no signing keys: Secrets Manager refused the last read \\({code}\\)"):
        keys.get()  # within the pause: no read, and no key
    secrets.code, clock[0] = None, clock[0] + auth.SECRET_RETRY_SECONDS
    assert keys.get() == [key("leaked").encode()] and secrets.calls.count("failed") == 1


def test_a_timed_out_read_keeps_the_keys_and_pauses_as_an_outage_does():
    """botocore's timeouts and connection errors carry `response` None: reading their code must not fail."""
    from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

    for timeout in (ReadTimeoutError(endpoint_url="https://secretsmanager"),
                    ConnectionClosedError(endpoint_url="https://secretsmanager")):
        class TimingOut(FakeSecrets):
            def get_secret_value(self, SecretId):
                if len(self.calls) >= 1:
                    self.calls.append("failed")
                    raise timeout
                return super().get_secret_value(SecretId)

        secrets, clock, logged = TimingOut(key("first")), [1000.0], []
        keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=logged.append)
        keys.get()
        clock[0] += auth.SECRET_CACHE_SECONDS
        assert keys.get() == [key("first").encode()] and keys.get() == [key("first").encode()]
        assert secrets.calls.count("failed") == 1  # then the pause
        assert json.loads(logged[0]) == {"signingSecret": "kept the keys read before",
                                         "error": type(timeout).__name__, "code": None}


@pytest.mark.parametrize("failure", ["outage", "refused", "written wrong"])
def test_a_clock_set_back_within_a_pause_reads_again(failure):
    secrets, clock = Refusing(key("first")), [1000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=lambda line: None)
    keys.get()
    clock[0] += auth.SECRET_CACHE_SECONDS
    if failure == "outage":
        secrets.code = "ThrottlingException"
        keys.get()  # kept, and paused
    else:
        secrets.code, secrets.value = ("AccessDeniedException", None) if failure == "refused" else (None, "{}")
        with pytest.raises(Exception):
            keys.get()  # dropped, and paused
    secrets.code, secrets.value, clock[0] = None, key("second"), clock[0] - 600
    assert keys.get() == [key("second").encode()]


def test_a_good_read_ends_the_pause_of_the_failed_one_before_it():
    """A pause left over from an earlier failure must not spare a read when the clock comes back to it."""
    secrets, clock = Refusing(key("first")), [10_000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=lambda line: None)
    keys.get()
    secrets.code, clock[0] = "ThrottlingException", clock[0] + auth.SECRET_CACHE_SECONDS
    keys.get()  # kept, paused from 10,300 to 10,330
    secrets.code, secrets.value, clock[0] = None, key("second"), 10_300.0 - 2 * auth.SECRET_STALE_SECONDS
    assert keys.get() == [key("second").encode()]  # the clock was set back: read
    secrets.value, clock[0] = key("third"), 10_310.0  # the keys are two hours old: read, whatever the old pause
    assert keys.get() == [key("third").encode()]


def test_a_failed_read_without_keys_pauses_before_reading_again():
    """A cold start while Secrets Manager is throttled or unreachable: each call read, and waited, again."""
    secrets, clock = FailingSecrets(None), [1000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=lambda line: None)
    with pytest.raises(ConnectionError):
        keys.get()
    for _ in range(3):
        clock[0] += 1
        with pytest.raises(ValueError, match=r"no signing keys: the last read failed \(ConnectionError\)"):
            keys.get()
    assert secrets.calls == ["failed"]
    secrets.value, clock[0] = key("first"), 1000.0 + auth.SECRET_RETRY_SECONDS
    assert keys.get() == [key("first").encode()]


def test_a_json_secret_without_a_current_key_or_with_another_field_is_written_wrong():
    """A rotation's typo beside `previous` left the new key out, silently: tokens it signed were refused."""
    for document, message in (({"curent": key("new"), "previous": key("old")}, "has fields 'curent'"),
                              ({"Current": key("new")}, "has fields 'Current'"),
                              ({"current": "", "previous": key("old")}, "'current' is not a key"),
                              ({"current": None, "previous": key("old")}, "'current' is not a key"),
                              ({"current": 7, "previous": key("old")}, "'current' is not a key"),
                              ({"previous": key("old")}, "'current' is not a key"),
                              ({"current": key("new"), "previous": ["old"]}, "'previous' is not a key"),
                              ({"current": key("new"), "previous": 5}, "'previous' is not a key")):
        with pytest.raises(ValueError, match=message):
            auth.keys_from_secret(json.dumps(document))
    for rotated in ("", None):
        assert auth.keys_from_secret(json.dumps({"current": key("new"), "previous": rotated})) == [key("new").encode()]
    with pytest.raises(ValueError, match="nested too deep"):
        auth.keys_from_secret("[" * 100_000)


def test_keys_read_before_the_clock_was_set_back_are_read_again():
    """Ages are wall-clock: a clock behind the last read says nothing of how old the keys are."""
    secrets, clock = FakeSecrets(key("first")), [1000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0])
    keys.get()
    clock[0] = 900.0
    keys.get()
    assert len(secrets.calls) == 2
    assert auth.SigningKeys(secrets, "arn:secret")._clock is time.time


def test_a_request_without_a_method_arn_is_denied():
    token = auth.sign_token(KEY, "d1", "acme", NOW + 60)
    evt = event(headers=bearer(token))
    del evt["methodArn"]
    result, logged = decide(evt)
    assert result["policyDocument"]["Statement"][0] == {"Action": "execute-api:Invoke", "Effect": "Deny",
                                                         "Resource": "*"}
    assert json.loads(logged[0])["reason"] == "the request has no methodArn"


def test_keys_read_within_the_hour_outlive_a_secrets_manager_outage_and_are_read_again_after_a_pause():
    secrets, clock, logged = FailingSecrets(key("first")), [1000.0], []
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=logged.append)
    assert keys.get() == [key("first").encode()]
    secrets.value = None
    clock[0] += auth.SECRET_CACHE_SECONDS
    assert keys.get() == [key("first").encode()] and secrets.calls == ["arn:secret", "failed"]
    assert json.loads(logged[0]) == {"signingSecret": "kept the keys read before", "error": "ConnectionError",
                                     "code": None}
    clock[0] += auth.SECRET_RETRY_SECONDS - 1
    assert keys.get() == [key("first").encode()] and len(secrets.calls) == 2  # no call before the pause is over
    assert keys.newer() is None and len(secrets.calls) == 2  # nor for a bad token: each failing read takes seconds
    clock[0] = 1000.0 + auth.SECRET_STALE_SECONDS
    with pytest.raises(ConnectionError):  # keys an hour old are not trusted any longer
        keys.get()
    with pytest.raises(ConnectionError):  # nor are there any before the first read
        auth.SigningKeys(FailingSecrets(None), "arn:secret").get()


def test_keys_are_not_used_past_the_hour_even_within_a_retry_pause():
    """A read failing just before the keys turn an hour old must not stretch their life by its pause."""
    secrets, clock = FailingSecrets(key("first")), [1000.0]
    keys = auth.SigningKeys(secrets, "arn:secret", clock=lambda: clock[0], log=lambda line: None)
    assert keys.get() == [key("first").encode()]
    secrets.value = None
    clock[0] = 1000.0 + auth.SECRET_STALE_SECONDS - 1
    assert keys.get() == [key("first").encode()] and len(secrets.calls) == 2  # failed; the keys are 59:59 old
    clock[0] = 1000.0 + auth.SECRET_STALE_SECONDS
    with pytest.raises(ConnectionError):  # read again at the hour, within the pause, and refused
        keys.get()
    assert len(secrets.calls) == 3


# --- the connection routes -------------------------------------------------------------------------


class Conditional(Exception):
    pass


def _key(attributes: dict) -> tuple[str, str]:
    """The table's primary key (tenantId, deviceId) of an item or a Key."""
    return attributes["tenantId"]["S"], attributes["deviceId"]["S"]


class FakeDynamo:
    """A dict-backed stand-in for the low-level DynamoDB client's three calls the handler makes, keyed as the
    table is (tenantId, deviceId): a Key that is not the whole primary key is refused, as DynamoDB does. Condition
    expressions are evaluated, not assumed: `a = :v`, `a <= :v` and `attribute_not_exists(a)`, joined by OR or
    AND (DynamoDB's precedence: AND first); anything else fails the test."""

    def __init__(self):
        self.items: dict[tuple[str, str], dict] = {}
        self.calls: list[tuple[str, dict]] = []

    @staticmethod
    def _holds(item: Optional[dict], expression: str, values: dict) -> bool:
        def term(text: str) -> bool:
            if match := re.fullmatch(r"attribute_not_exists\((\w+)\)", text):
                return item is None or match[1] not in item
            match = re.fullmatch(r"(\w+) (=|<=) (:\w+)", text)
            assert match, f"the fake does not evaluate {text!r}"
            if item is None or match[1] not in item:
                return False
            (kind, have), (_, want) = next(iter(item[match[1]].items())), next(iter(values[match[3]].items()))
            if kind == "N":
                have, want = int(have), int(want)
            return have == want if match[2] == "=" else have <= want
        return any(all(term(t) for t in alternative.split(" AND ")) for alternative in expression.split(" OR "))

    def _check(self, key, kwargs):
        if "ConditionExpression" in kwargs and not self._holds(self.items.get(key), kwargs["ConditionExpression"],
                                                                kwargs.get("ExpressionAttributeValues", {})):
            raise Conditional()

    def put_item(self, **kwargs):
        self.calls.append(("put_item", kwargs))
        key = _key(kwargs["Item"])
        self._check(key, kwargs)
        self.items[key] = kwargs["Item"]

    def delete_item(self, **kwargs):
        self.calls.append(("delete_item", kwargs))
        assert set(kwargs["Key"]) == {"tenantId", "deviceId"}
        key = _key(kwargs["Key"])
        self._check(key, kwargs)
        self.items.pop(key, None)

    def update_item(self, **kwargs):
        self.calls.append(("update_item", kwargs))
        assert set(kwargs["Key"]) == {"tenantId", "deviceId"}
        key = _key(kwargs["Key"])
        self._check(key, kwargs)
        values = kwargs["ExpressionAttributeValues"]
        self.items[key].update({"lastAckCommandId": values[":a"], "lastAckAt": values[":t"]})


def ws(route_key, connection="c1", device="d1", tenant="acme", body=None, connected_at=None):
    """A WebSocket event; `connected_at` (ms) is API Gateway's time of the connection, by default the route's."""
    authorizer = {"deviceId": device, "tenantId": tenant} if device else None
    context = {"routeKey": route_key, "connectionId": connection, "authorizer": authorizer, "apiId": "a1b2c3d4e5",
               "domainName": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", "stage": "iot"}
    if connected_at is not None:
        context["connectedAt"] = connected_at
    return {"requestContext": context, "body": body}


@pytest.fixture
def store(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-1")  # Lambda sets it in every function's environment
    dynamo = FakeDynamo()
    return conn.ConnectionStore(dynamo, "dev-iot-connections", Conditional), dynamo


def test_connect_stores_the_connection_with_tenant_and_a_ttl_past_the_two_hour_limit(store):
    s, dynamo = store
    assert conn.route(ws("$connect"), s, NOW)["statusCode"] == 200
    name, call = dynamo.calls[0]
    assert name == "put_item" and call["TableName"] == "dev-iot-connections"
    # The command service finds the connection, and where to post to it, by tenant and device.
    assert call["Item"] == {"tenantId": {"S": "acme"}, "deviceId": {"S": "d1"}, "connectionId": {"S": "c1"},
                            "callbackUrl": {"S": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/iot"},
                            "connectedAt": {"N": str(NOW * 1000)}, "expiresAt": {"N": str(NOW + 2 * 3600 + 900)}}


def test_a_device_on_the_custom_domain_is_pushed_to_through_the_execute_api_host(store):
    """Through websocketApi.domain, domainName is the custom domain, whose paths start at the API mapping, not the
    stage (<domain>/iot/@connections finds no route); the command service may reach only execute-api hosts."""
    s, dynamo = store
    event = ws("$connect")
    event["requestContext"]["domainName"] = "devices.iot.example.com"
    assert conn.route(event, s, NOW)["statusCode"] == 200
    stored = dynamo.calls[0][1]["Item"]["callbackUrl"]
    assert stored == {"S": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/iot"}


def test_a_connect_written_late_never_takes_the_item_from_a_newer_connection(store):
    """Writes land in any order (a retried or delayed $connect); API Gateway's connectedAt decides, and the older
    connection is refused rather than left open without commands."""
    s, dynamo = store
    opened = NOW * 1000
    assert conn.route(ws("$connect", connection="new", connected_at=opened + 900), s, NOW + 1)["statusCode"] == 200
    logged = []
    late = conn.route(ws("$connect", connection="old", connected_at=opened), s, NOW + 2, logged.append)
    assert late["statusCode"] == 409 and "newer connection" in logged[0]
    assert dynamo.items[("acme", "d1")]["connectionId"] == {"S": "new"}
    # An item written before connectedAt was in milliseconds (seconds) is older than any connection now.
    dynamo.items[("acme", "d1")]["connectedAt"] = {"N": str(NOW + 3)}
    assert conn.route(ws("$connect", connection="next", connected_at=opened + 5000), s, NOW + 5)["statusCode"] == 200
    assert dynamo.items[("acme", "d1")]["connectionId"] == {"S": "next"}


def test_two_tenants_devices_with_the_same_id_keep_their_own_connections(store):
    s, dynamo = store
    conn.route(ws("$connect", connection="acme-c", tenant="acme", device="sensor-1"), s, NOW)
    conn.route(ws("$connect", connection="globex-c", tenant="globex", device="sensor-1"), s, NOW + 1)
    assert dynamo.items[("acme", "sensor-1")]["connectionId"] == {"S": "acme-c"}
    assert dynamo.items[("globex", "sensor-1")]["connectionId"] == {"S": "globex-c"}
    # One tenant's disconnect and acks touch only its own device's item.
    conn.route(ws("$disconnect", connection="globex-c", tenant="globex", device="sensor-1"), s, NOW + 2)
    assert list(dynamo.items) == [("acme", "sensor-1")]


def test_disconnect_deletes_only_its_own_connection(store):
    s, dynamo = store
    conn.route(ws("$connect", connection="old"), s, NOW)
    conn.route(ws("$connect", connection="new"), s, NOW + 5)  # the device reconnected
    logged = []
    assert conn.route(ws("$disconnect", connection="old"), s, NOW + 6, logged.append)["statusCode"] == 200
    assert dynamo.items[("acme", "d1")]["connectionId"] == {"S": "new"}
    assert "reconnected" in logged[0]
    conn.route(ws("$disconnect", connection="new"), s, NOW + 7)
    assert dynamo.items == {}


def test_ack_records_the_command_on_the_current_connection_only(store):
    s, dynamo = store
    conn.route(ws("$connect"), s, NOW)
    recorded = conn.route(ws("ack", body=json.dumps({"action": "ack", "commandId": "cmd-42"})), s, NOW + 1)
    # The body is what the device hears back (the ack route has a route response).
    assert recorded["statusCode"] == 200 and json.loads(recorded["body"]) == {"ack": "cmd-42", "recorded": True}
    assert dynamo.items[("acme", "d1")]["lastAckCommandId"] == {"S": "cmd-42"}
    assert dynamo.items[("acme", "d1")]["lastAckAt"] == {"N": str(NOW + 1)}
    stale = conn.route(ws("ack", connection="gone", body=json.dumps({"commandId": "cmd-43"})), s, NOW + 2)
    assert stale["statusCode"] == 409 and json.loads(stale["body"])["ack"] == "cmd-43"
    assert json.loads(stale["body"])["recorded"] is False
    assert dynamo.items[("acme", "d1")]["lastAckCommandId"] == {"S": "cmd-42"}


@pytest.mark.parametrize("body", [None, "not json", json.dumps({"commandId": ""}), json.dumps({"commandId": "a b"}),
                                  json.dumps({"commandId": "cmd-1\n"}), json.dumps(["cmd"]),
                                  # JSON Python refuses to read: a number past its digit limit, nesting past recursion
                                  '{"action": "ack", "n": ' + "9" * 4301 + "}", "[" * 100000 + "]" * 100000])
def test_ack_without_a_valid_command_id_is_refused_and_writes_nothing(store, body):
    s, dynamo = store
    assert conn.route(ws("ack", body=body), s, NOW)["statusCode"] == 400
    assert dynamo.calls == []


def test_routes_without_authorizer_context_are_refused(store):
    s, dynamo = store
    logged = []
    for route_key in ("$connect", "$disconnect", "ack"):
        assert conn.route(ws(route_key, device=None), s, NOW, logged.append)["statusCode"] == 403
        assert conn.route(ws(route_key, tenant=None), s, NOW, logged.append)["statusCode"] == 403
    assert dynamo.calls == [] and len(logged) == 6


def test_a_route_the_function_does_not_serve_is_refused_without_storing(store):
    # $default is API Gateway's own (a MOCK integration); should it ever reach the function, nothing is stored.
    s, dynamo = store
    logged = []
    response = conn.route(ws("$default", body=json.dumps({"action": "reboot"})), s, NOW, logged.append)
    assert response["statusCode"] == 400 and "$default" in json.loads(response["body"])["message"]
    assert dynamo.calls == [] and "no such route" in logged[0]


class FakeEcs:
    """UpdateService answers as ECS does (the service, its deployments), after failing with `codes` in turn."""

    def __init__(self, *codes: str):
        self.codes, self.calls = list(codes), []

    def update_service(self, **request):
        self.calls.append(request)
        if self.codes:
            error = Exception(self.codes[0])
            error.response = {"Error": {"Code": self.codes.pop(0)}}
            raise error
        arn = f"arn:aws:ecs:us-east-1:123456789012:service/{request['cluster']}/{request['service']}"
        return {"service": {"serviceArn": arn, "deployments": [
            {"id": "ecs-svc/2", "status": "PRIMARY"}, {"id": "ecs-svc/1", "status": "ACTIVE"}]}}


RESTART = {"cluster": "dev-mesh", "service": "dev-order-service-sc"}


def test_a_timeout_is_raised_as_itself():
    """botocore's ReadTimeoutError and ConnectionClosedError set `response` to None: the restart must raise them,
    not an AttributeError of its own that hides what ECS did."""
    from botocore.exceptions import ReadTimeoutError

    class Hanging(FakeEcs):
        def update_service(self, **request):
            self.calls.append(request)
            raise ReadTimeoutError(endpoint_url="https://ecs.us-east-1.amazonaws.com/")

    ecs = Hanging()
    with pytest.raises(ReadTimeoutError):
        restart.restart(ecs, RESTART, sleep=lambda seconds: None)
    assert len(ecs.calls) == 1


def test_a_late_caller_is_deployed_again_with_its_task_definition():
    ecs = FakeEcs()
    assert restart.restart(ecs, RESTART) == {
        "service": "arn:aws:ecs:us-east-1:123456789012:service/dev-mesh/dev-order-service-sc",
        "deployment": "ecs-svc/2"}
    # Only forceNewDeployment: the task definition, counts and settings stay what the program declared.
    assert ecs.calls == [{"cluster": "dev-mesh", "service": "dev-order-service-sc", "forceNewDeployment": True}]


def test_a_restart_succeeds_whatever_deployments_ecs_lists():
    class Listing(FakeEcs):
        def update_service(self, **request):
            return {"service": {"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/dev-mesh/x",
                                "deployments": [{"id": "ecs-svc/1", "status": "ACTIVE"}]}}

    assert restart.restart(Listing(), RESTART)["deployment"] == ""


def test_a_refusal_while_iam_catches_up_is_tried_again_then_raised():
    clock, slept = [0.0], []

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    ecs = FakeEcs("AccessDeniedException", "AccessDeniedException")
    assert restart.restart(ecs, RESTART, sleep=sleep, clock=lambda: clock[0])["deployment"] == "ecs-svc/2"
    assert len(ecs.calls) == 3 and slept == [restart.ACCESS_RETRY_PAUSE] * 2
    # A refusal that lasts fails the invocation (and the `up`), with AWS's error.
    clock[0], slept[:] = 0.0, []
    denied = FakeEcs(*["AccessDeniedException"] * 100)
    with pytest.raises(Exception, match="AccessDeniedException"):
        restart.restart(denied, RESTART, sleep=sleep, clock=lambda: clock[0])
    assert sum(slept) == restart.ACCESS_RETRY_SECONDS


def test_worst_case_covers_refusals_until_give_up_then_a_call_that_hangs_on_each_attempt():
    """Each refused call takes 0.199 s, so the tenth is refused at 19.99 s, just inside the retry window: the call
    after its pause starts at 21.99 s, and that one may hang on both attempts (2 x (2 + 5) s and a 1 s back-off)."""
    clock, starts = [0.0], []

    class SlowRefusals(FakeEcs):
        def update_service(self, **request):
            starts.append(clock[0])
            clock[0] += 0.199
            return super().update_service(**request)

    def sleep(seconds):
        clock[0] += seconds

    with pytest.raises(Exception, match="AccessDeniedException"):
        restart.restart(SlowRefusals(*["AccessDeniedException"] * 100), RESTART, sleep=sleep, clock=lambda: clock[0])
    assert round(max(starts), 3) == 21.99
    assert restart.WORST_CASE_SECONDS >= max(starts) + 2 * (2 + 5) + 1


@pytest.mark.parametrize("code", ["ServiceNotFoundException", "ServiceNotActiveException", "ThrottlingException"])
def test_any_other_error_fails_the_invocation_at_once(code):
    ecs = FakeEcs(code)
    with pytest.raises(Exception, match=code):
        restart.restart(ecs, RESTART, sleep=lambda s: pytest.fail("slept"))
    assert len(ecs.calls) == 1


@pytest.mark.parametrize("bad", [{}, {"cluster": "dev-mesh"}, {"cluster": "", "service": "x"},
                                 {"cluster": 1, "service": "x"}])
def test_an_event_without_a_cluster_and_service_is_refused(bad):
    with pytest.raises(ValueError, match="names no cluster and service"):
        restart.restart(FakeEcs(), bad)


@pytest.mark.parametrize("function", ["device_authorizer", "connections", "restart_service"])
def test_handlers_import_only_the_standard_library_at_load_and_boto3_lazily(function):
    tree = ast.parse((LAMBDAS / function / "handler.py").read_text())
    top = {alias.name.split(".")[0] for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
    top |= {node.module.split(".")[0] for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert top - {"__future__"} <= set(sys.stdlib_module_names), top
    lazy = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) and node not in tree.body
            for alias in node.names}
    lazy |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and node not in tree.body and node.level == 0}
    # In every Lambda Python runtime; imported inside the handler only.
    assert lazy <= {"boto3", "botocore"} and "boto3" in lazy
