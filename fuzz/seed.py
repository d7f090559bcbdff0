#!/usr/bin/env python3
"""Write the seed corpus of each fuzz target from tests/fixtures/corpus.json.

Run from anywhere: `python3 fuzz/seed.py`. The output is the same on every
run: each target's directory under fuzz/corpus/ is emptied and refilled,
and each seed is named by the SHA-1 of its bytes, as libFuzzer names the
inputs it adds. The byte layouts match the decoders in fuzz/src/lib.rs and
the comments at the top of each target in fuzz/fuzz_targets/.
"""

import base64
import hashlib
import hmac
import json
import pathlib
import struct

FUZZ = pathlib.Path(__file__).resolve().parent
FIXTURES = FUZZ.parent / "tests" / "fixtures" / "corpus.json"
CORPUS = FUZZ / "corpus"

# Bodies above this size are left out, so that the committed seeds stay
# small. The fixture corpus has one such body, of 200 kB, for the size limit.
MAX_SEED_BODY_BYTES = 4096

# FreeClimb's SDK test vector: secret, body and signing time.
SECRET = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793"
OTHER_SECRET = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7794"
SDK_BODY = (
    '{"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c",'
    '"callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","callStatus":"ringing",'
    '"conferenceId":null,"direction":"inbound","from":"+13121000109",'
    '"parentCallId":null,"queueId":null,"requestType":"inboundCall","to":"+13121000096"}'
).encode()
SIGNED_AT = 1679944186
DECOY_V1 = "1ba18712726898fbbe48cd862dd096a709f7ad761a5bab14bda9ac24d963a6a8"

# Option control bytes (see options_from in fuzz/src/lib.rs): depth 14,
# no issue limit, lenient with personal data masked or strict without, and
# no size limit.
LENIENT_CONTROL = bytes([0x7E, 0x00])
STRICT_CONTROL = bytes([0xBE, 0x00])
DEFAULT_MAX_REPORTS_CONTROL = bytes([7])


def fixture_bodies():
    cases = json.loads(FIXTURES.read_text(encoding="utf-8"))["cases"]
    bodies = []
    for case in cases:
        if "body" in case:
            body = case["body"].encode("utf-8")
        else:
            body = base64.b64decode(case["bodyBase64"])
        if len(body) <= MAX_SEED_BODY_BYTES:
            bodies.append(body)
    return bodies


def signature(body, secret, timestamp_text):
    message = timestamp_text.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_header(body, secret, timestamp):
    return f"t={timestamp},v1={signature(body, secret, str(timestamp))}"


def validate_seeds(bodies):
    seeds = []
    for index, body in enumerate(bodies):
        control = STRICT_CONTROL if index % 2 else LENIENT_CONTROL
        seeds.append(control + body)
    return seeds


def ndjson_seeds(bodies):
    one_line = [body for body in bodies if b"\n" not in body]
    seeds = []
    for start in range(0, len(one_line), 4):
        group = one_line[start:start + 4]
        seeds.append(LENIENT_CONTROL + DEFAULT_MAX_REPORTS_CONTROL + b"\n".join(group) + b"\n")
    # Blank lines, CRLF endings, no final newline and a small report limit.
    first, second = one_line[0], one_line[1]
    seeds.append(LENIENT_CONTROL + bytes([1]) + first + b"\r\n\n \t\r\n" + second)
    seeds.append(STRICT_CONTROL + bytes([2]) + b"{}\n" + first + b"\n[]\n\n" + second + b"\n")
    return seeds


def signature_seed(now, tolerance, secret, header, body):
    return struct.pack("<QQ", now, tolerance) + secret.encode() + b"\0" + header.encode() + b"\0" + body


def signature_seeds(bodies):
    good = signed_header(SDK_BODY, SECRET, SIGNED_AT)
    good_v1 = signature(SDK_BODY, SECRET, str(SIGNED_AT))
    headers = [
        good,
        f"t={SIGNED_AT},v1={DECOY_V1},v1={good_v1}",
        f"t={SIGNED_AT},v1={good_v1.upper()}",
        f" t = {SIGNED_AT} ,\tv1={good_v1} ",
        f"v1={good_v1},t={SIGNED_AT},x=ignored",
        f"t=0{SIGNED_AT},v1={good_v1}",
        f"t={SIGNED_AT},t={SIGNED_AT},v1={good_v1}",
        f"t={SIGNED_AT}",
        f"v1={good_v1}",
        "t=18446744073709551615,v1=00",
        "t=18446744073709551616,v1=00",
        "t=-1,v1=00",
        "t=,v1=",
        "=1,v1=2",
        "t=1,,v1=2",
        ",",
        "",
        " \t ",
        "t=1\u00e9,v1=2",
        "t\u00a0=1,v1=2",
    ]
    seeds = []
    for header in headers:
        seeds.append(signature_seed(SIGNED_AT, 300, SECRET, header, SDK_BODY))
    # The same valid header at the tolerance bounds, with another secret,
    # with a blank secret and with an empty body.
    for now in (SIGNED_AT - 300, SIGNED_AT - 301, SIGNED_AT + 300, SIGNED_AT + 301, 0, 2**64 - 1):
        seeds.append(signature_seed(now, 300, SECRET, good, SDK_BODY))
    seeds.append(signature_seed(SIGNED_AT, 300, OTHER_SECRET, good, SDK_BODY))
    seeds.append(signature_seed(SIGNED_AT, 300, " ", good, SDK_BODY))
    seeds.append(signature_seed(SIGNED_AT, 300, SECRET, good, b""))
    seeds.append(signature_seed(SIGNED_AT, 2**64 - 1, SECRET, good, SDK_BODY))
    # A few fixture bodies, each with its own valid header.
    for body in bodies[::10]:
        seeds.append(signature_seed(SIGNED_AT, 300, SECRET, signed_header(body, SECRET, SIGNED_AT), body))
    return seeds


def verify_then_parse_seeds(bodies):
    skews = (0, 300, -300, 301, -301, 86400)
    extra_headers = ("", "x=1", f"v1={DECOY_V1}", "t=1", "t=abc", ",")
    seeds = []
    for index, body in enumerate(bodies):
        control = STRICT_CONTROL if index % 2 else LENIENT_CONTROL
        prefix = struct.pack(
            "<QiIHB",
            SIGNED_AT,
            skews[index % len(skews)],
            300,
            index * 7,
            0x20,
        )
        extra = extra_headers[index % len(extra_headers)]
        seeds.append(prefix + control + SECRET.encode() + b"\0" + extra.encode() + b"\0" + body)
    return seeds


def write(target, seeds):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.iterdir():
        old.unlink()
    for seed in seeds:
        (directory / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    size = sum(len(seed) for seed in seeds)
    print(f"{target}: {len(set(seeds))} seeds, {size} bytes")


def main():
    bodies = fixture_bodies()
    write("validate", validate_seeds(bodies))
    write("ndjson", ndjson_seeds(bodies))
    write("signature", signature_seeds(bodies))
    write("verify_then_parse", verify_then_parse_seeds(bodies))


if __name__ == "__main__":
    main()
