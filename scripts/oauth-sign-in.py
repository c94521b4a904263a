#!/usr/bin/env python3
"""Signs a person in through the authorization-code flow with PKCE, as a browser app would, then
uses the refresh token once; prints the tokens as JSON. Used by scripts/e2e-distributed.sh.

    scripts/oauth-sign-in.py BASE_URL EMAIL PASSWORD HOME_REGION
"""
import base64
import hashlib
import html.parser
import json
import secrets
import sys
import urllib.parse

import requests

CLIENT_ID = "iworkz-web"
REDIRECT_URI = "http://127.0.0.1:8000/callback"


class FormFields(html.parser.HTMLParser):
    """The named inputs of the sign-in page's form, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("input", "select") and attributes.get("name"):
            self.fields.setdefault(attributes["name"], attributes.get("value") or "")


def fail(message):
    print(f"oauth-sign-in: {message}", file=sys.stderr)
    sys.exit(1)


def main(base, email, password, region):
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "scope": "profile matching",
             "state": secrets.token_urlsafe(12), "code_challenge": challenge, "code_challenge_method": "S256"}
    page = requests.get(f"{base}/oauth/authorize", params=query, timeout=10)
    if page.status_code != 200:
        fail(f"the sign-in page answered {page.status_code}")
    form = FormFields()
    form.feed(page.text)
    form.fields.update({"email": email, "password": password, "home_region": region})
    signed_in = requests.post(f"{base}/oauth/authorize", data=form.fields, allow_redirects=False, timeout=10)
    if signed_in.status_code != 303:
        fail(f"signing in answered {signed_in.status_code}: {signed_in.text[:200]}")
    code = urllib.parse.parse_qs(urllib.parse.urlparse(signed_in.headers["location"]).query).get("code", [""])[0]
    token = requests.post(f"{base}/oauth/token", data={"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID,
                                                       "redirect_uri": REDIRECT_URI, "code_verifier": verifier}, timeout=10)
    if token.status_code != 200:
        fail(f"the code exchange answered {token.status_code}: {token.text[:200]}")
    first = token.json()
    refreshed = requests.post(f"{base}/oauth/token", data={"grant_type": "refresh_token", "client_id": CLIENT_ID,
                                                           "refresh_token": first["refresh_token"]}, timeout=10)
    if refreshed.status_code != 200:
        fail(f"the refresh answered {refreshed.status_code}: {refreshed.text[:200]}")
    second = refreshed.json()
    if second["refresh_token"] == first["refresh_token"]:
        fail("the refresh token was not rotated")
    print(json.dumps({"access_token": second["access_token"], "refresh_token": second["refresh_token"],
                      "used_refresh_token": first["refresh_token"]}))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        fail("usage: oauth-sign-in.py BASE_URL EMAIL PASSWORD HOME_REGION")
    main(*sys.argv[1:])
