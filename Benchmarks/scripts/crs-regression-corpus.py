#!/usr/bin/env python3
"""Re-aims the OWASP Core Rule Set's own regression tests at this platform's surface.

Reads a CRS checkout (rules/*.conf for paranoia levels, tests/regression/tests/*/*.yaml), keeps the
positive tests of the paranoia-level-1 rules of the attack families (930 LFI, 931 RFI, 932 RCE,
933 PHP, 934 generic, 941 XSS, 942 SQLi, 944 Java) but those that look only at uploaded file names
(the platform takes none), takes each test's attack value, and writes one JSON line per value and
surface: `GET /api/v1/jobs?q=<value>` and a JSON body `{"text": <value>}`.
Nothing of the CRS is kept in this repository; the FirewallScreen benchmark reads the file it writes.

usage: crs-regression-corpus.py CRS_DIR OUTPUT.jsonl
"""
import json, os, re, sys, urllib.parse

import yaml

FAMILIES = ("930", "931", "932", "933", "934", "941", "942", "944")
STANDARD_HEADERS = {"host", "user-agent", "accept", "accept-encoding", "accept-language", "content-type",
                    "content-length", "connection", "proxy-connection", "keep-alive", "cache-control"}


TEST_LABEL = re.compile(r"\d{6}-\d{1,4}")


def is_file_name(variable):
    """A variable that holds an uploaded file's name: FILES, FILES_NAMES or an X-Filename header."""
    name = variable.lstrip("!&").upper()
    return name in ("FILES", "FILES_NAMES") or re.fullmatch(r"REQUEST_HEADERS:X[-_.]FILE[-_]?NAME", name) is not None


def paranoia_one_rules(crs):
    """The paranoia-1 rules of the attack families, and those among them that look only at uploaded
    file names: the platform takes no file names (a document is its bytes and a Content-Type), so
    their cases have no surface to be re-aimed at."""
    ids, file_name_only = set(), set()
    for name in sorted(os.listdir(os.path.join(crs, "rules"))):
        if not name.startswith("REQUEST-9") or not name.endswith(".conf") or name[8:11] not in FAMILIES:
            continue
        level, variables = 0, ""
        for line in open(os.path.join(crs, "rules", name), encoding="utf-8"):
            marker = re.search(r'DETECTION_PARANOIA_LEVEL "@lt (\d)"', line)
            if marker:
                level = int(marker.group(1))
                continue
            rule = re.match(r"\s*SecRule\s+(\S+)", line)
            if rule:
                variables = rule.group(1)
            found = re.search(r'\bid:(\d{6})', line)
            if found and level == 1:
                ids.add(found.group(1))
                if variables and all(is_file_name(v) for v in variables.split("|")):
                    file_name_only.add(found.group(1))
    return ids - file_name_only, file_name_only


def fields(text):
    """Argument names and values of a query or form body, decoded, or the text itself when it has none
    or is an XML document. Names the CRS gives its test arguments (`932130-1=$(cmd)`) are labels, not
    payloads."""
    if text is None:
        return []
    if isinstance(text, list):
        text = "".join(text)
    if text.lstrip().startswith("<"):
        return [text]
    pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
    found = [part for pair in pairs for part in pair if part and not TEST_LABEL.fullmatch(part)]
    return found or [urllib.parse.unquote_plus(text)]


def attack_value(stage):
    """The longest attack-bearing part of a test request: an argument name or value, a non-standard
    header, a cookie's name or value, or else the path; the CRS puts its payloads in all of these."""
    inputs = stage.get("input", {})
    uri = inputs.get("uri", "") or ""
    path, _, query = uri.partition("?")
    candidates = fields(query) + fields(inputs.get("data"))
    for name, value in (inputs.get("headers") or {}).items():
        if name.lower() not in STANDARD_HEADERS and isinstance(value, str):
            candidates += [urllib.parse.unquote(piece) for part in value.split(";") for piece in part.strip().split("=", 1)] if name.lower() == "cookie" else [urllib.parse.unquote(value)]
    candidates = [c for c in candidates if isinstance(c, str) and c.strip() and not TEST_LABEL.fullmatch(c.strip())]
    # The path carries the payload only when nothing else does: /get/char_test?body=<x onend= is an
    # echo route with its attack in the query.
    if not candidates and path not in ("", "/", "/get", "/post"):
        candidates.append(urllib.parse.unquote(path))
    return max(candidates, key=len) if candidates else None


def main(crs, output):
    rules, skipped = paranoia_one_rules(crs)
    print(f"skipped, they look only at uploaded file names: {', '.join(sorted(skipped))}")
    base = os.path.join(crs, "tests", "regression", "tests")
    rows = []
    for folder in sorted(os.listdir(base)):
        if folder[8:11] not in FAMILIES:
            continue
        for name in sorted(os.listdir(os.path.join(base, folder))):
            rule = name.split(".")[0]
            if rule not in rules:
                continue
            document = yaml.safe_load(open(os.path.join(base, folder, name), encoding="utf-8"))
            for test in document.get("tests", []):
                for stage in test.get("stages", []):
                    expected = ((stage.get("output") or {}).get("log") or {}).get("expect_ids") or []
                    if int(rule) not in expected:
                        continue
                    value = attack_value(stage)
                    if value is None:
                        continue
                    case = f"{rule}-{test.get('test_id')}"
                    rows.append({"case": case, "family": rule[:3], "method": "GET", "path": "/api/v1/jobs",
                                 "query": "q=" + urllib.parse.quote(value, safe=""), "body": None})
                    rows.append({"case": case, "family": rule[:3], "method": "POST", "path": "/api/v1/agent/skills",
                                 "query": None, "body": json.dumps({"text": value})})
    with open(output, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows) // 2} attack values from {len(rules)} paranoia-1 rules, {len(rows)} requests -> {output}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
