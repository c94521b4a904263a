#!/usr/bin/env python3
"""Checks a running `iworkz serve` against its own API document and against stock OAuth clients.

1. Interoperability: authlib runs the authorization-code flow with PKCE (S256) as a browser app would
   (the sign-in page's form, the 303 back with code and state, the token exchange, a refresh, a
   revocation), and PyJWT verifies the access token against the JWKS and the RFC 8414 metadata.
2. Conformance: schemathesis generates requests from the served /openapi.yaml for every operation,
   with every check, without a token and with a worker's and an employer's token. Any failure fails.

Usage: api-conformance.py BASE_URL [--max-examples N] [--seed S]
Needs: pip install schemathesis authlib pyjwt cryptography requests
"""
import argparse
import html.parser
import os
import secrets
import subprocess
import sys
import tempfile
import time

import jwt
import requests
from authlib.integrations.requests_client import OAuth2Session

CLIENT_ID = "iworkz-web"
REDIRECT_URI = "http://127.0.0.1:8000/callback"


def fail(message):
    print(f"    FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def wait_until_ready(base, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/ready", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    fail(f"{base}/ready did not answer 200 within {seconds} s")


def register(base, role, country, **extra):
    """A fresh person; returns (id, access token, email, password)."""
    email = f"conformance-{role}-{secrets.token_hex(6)}@example.org"
    password = secrets.token_urlsafe(18)
    body = {"role": role, "email": email, "display_name": f"Conformance {role}",
            "country_of_residence": country, "password": password, **extra}
    response = requests.post(f"{base}/api/v1/users", json=body, timeout=10)
    if response.status_code != 201:
        fail(f"registering a {role} answered {response.status_code}: {response.text[:300]}")
    answer = response.json()
    return answer["user"]["id"], answer["access_token"], email, password


class FormFields(html.parser.HTMLParser):
    """The named inputs of the sign-in page's form, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self.action = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.action = attributes.get("action")
        if tag in ("input", "select") and attributes.get("name"):
            self.fields.setdefault(attributes["name"], attributes.get("value") or "")


def check_interoperability(base):
    print("==> interop: authlib authorization code + PKCE, PyJWT against the JWKS")
    metadata = requests.get(f"{base}/.well-known/oauth-authorization-server", timeout=10).json()
    for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        if key not in metadata:
            fail(f"the authorization-server metadata has no {key}")
    user_id, _, email, password = register(base, "worker", "KR")

    # Endpoints are taken from this server; the metadata names the issuer's public URL.
    session = OAuth2Session(CLIENT_ID, redirect_uri=REDIRECT_URI, scope="profile matching",
                            code_challenge_method="S256")
    verifier = secrets.token_urlsafe(48)
    url, state = session.create_authorization_url(f"{base}/oauth/authorize", code_verifier=verifier)
    page = requests.get(url, timeout=10)
    if page.status_code != 200 or "text/html" not in page.headers.get("content-type", ""):
        fail(f"the sign-in page answered {page.status_code}")
    form = FormFields()
    form.feed(page.text)
    form.fields.update({"email": email, "password": password, "home_region": "kr-seoul"})
    signed_in = requests.post(f"{base}/oauth/authorize", data=form.fields, allow_redirects=False, timeout=10)
    if signed_in.status_code != 303:
        fail(f"signing in answered {signed_in.status_code}: {signed_in.text[:200]}")
    location = signed_in.headers["location"]
    if not location.startswith(REDIRECT_URI):
        fail(f"the sign-in redirected to {location}, not the registered redirect URI")
    token = session.fetch_token(f"{base}/oauth/token", authorization_response=location,
                                code_verifier=verifier, state=state)
    if token.get("token_type", "").lower() != "bearer" or "refresh_token" not in token:
        fail(f"the token response lacks a bearer or refresh token: {sorted(token)}")

    keys = jwt.PyJWKClient(f"{base}/.well-known/jwks.json")
    signing_key = keys.get_signing_key_from_jwt(token["access_token"])
    claims = jwt.decode(token["access_token"], signing_key.key, algorithms=["ES256"],
                        audience="iworkz-api", issuer=metadata["issuer"])
    if claims["sub"] != user_id or claims.get("rgn") != "kr-seoul":
        fail(f"the token names {claims['sub']} in {claims.get('rgn')}, not {user_id} in kr-seoul")
    for claim in ("exp", "iat"):
        if not isinstance(claims[claim], int):
            fail(f"{claim} is not a whole-second NumericDate: {claims[claim]!r}")
    me = requests.get(f"{base}/api/v1/users/me", headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=10)
    if me.status_code != 200 or me.json()["id"] != user_id:
        fail(f"the flow's access token did not read the person's record ({me.status_code})")

    refreshed = session.refresh_token(f"{base}/oauth/token", refresh_token=token["refresh_token"])
    if refreshed["refresh_token"] == token["refresh_token"]:
        fail("the refresh token was not rotated")
    revoked = session.revoke_token(f"{base}/oauth/revoke", token=refreshed["refresh_token"],
                                   token_type_hint="refresh_token")
    if revoked.status_code != 200:
        fail(f"revocation answered {revoked.status_code}")
    again = requests.post(f"{base}/oauth/token", data={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                                       "refresh_token": refreshed["refresh_token"]}, timeout=10)
    if again.status_code != 400 or again.json().get("error") != "invalid_grant":
        fail(f"a revoked refresh token answered {again.status_code}: {again.text[:200]}")
    print(f"    ok: signed in {user_id} through authlib, token verified by PyJWT (kid {signing_key.key_id}), "
          "refresh rotated, revocation honoured")


def run_schemathesis(base, label, token, args, config, only=None, skip=None):
    print(f"==> schemathesis: {'operation ' + only if only else 'every operation'}, every check, {label}")
    command = ["st", "--config-file", config, "run", f"{base}/openapi.yaml", "--url", base, "--checks", "all",
               "--max-examples", str(args.max_examples), "--seed", str(args.seed), "--no-color",
               "--generation-database", "none", "--workers", "1"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if only:
        command += ["--include-operation-id", only]
    if skip:
        command += ["--exclude-operation-id", skip]
    # schemathesis keeps a crash cache in its working directory: a throwaway one, not the checkout.
    with tempfile.TemporaryDirectory(prefix="iworkz-schemathesis-") as scratch:
        result = subprocess.run(command, capture_output=True, text=True, cwd=scratch)
    lines = result.stdout.splitlines()
    cases = [line.strip() for line in lines if line.strip().endswith("passed") or " generated, " in line]
    verdict = [line.strip("= ") for line in lines if line.startswith("===") and " in " in line]
    print("    " + "; ".join(cases[-1:] + verdict[-1:]) if cases or verdict else f"    exit {result.returncode}")
    if result.returncode != 0:
        # Generated bodies can be megabytes long: every line, cut to a readable length.
        print("\n".join(line[:400] for line in result.stdout.splitlines()))
        sys.stderr.write(result.stderr[-4000:])
        fail(f"schemathesis found failures {label}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("IWORKZ_CONFORMANCE_EXAMPLES", "25")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("IWORKZ_CONFORMANCE_SEED", "20261201")))
    args = parser.parse_args()
    base = args.base.rstrip("/")
    config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemathesis.toml")
    wait_until_ready(base)
    check_interoperability(base)
    _, worker, _, _ = register(base, "worker", "JP")
    _, employer, _, _ = register(base, "employer", "JP", company_name="Conformance K.K.", corporate_number="1180301018771")
    run_schemathesis(base, "without a token", None, args, config)
    # Erasure ends the person and every token of theirs: it runs last, on its own.
    run_schemathesis(base, "with a worker's token", worker, args, config, skip="eraseMe")
    run_schemathesis(base, "with an employer's token", employer, args, config, skip="eraseMe")
    run_schemathesis(base, "with a worker's token", worker, args, config, only="eraseMe")
    run_schemathesis(base, "with an employer's token", employer, args, config, only="eraseMe")


if __name__ == "__main__":
    main()
