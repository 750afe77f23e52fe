"""Drives fake ratings at one counter, as a stuffer would, and says what the server answered.

    python3 bench/stuffing.py BASE COUNTER WAY N

WAY: "honest" (N people, each their own address and browser, three in four satisfied),
"one-address" (one address, a fresh browser for every rating: no cookie kept),
"fifty-addresses" (N ratings spread over 50 addresses through the trusted proxy's
X-Forwarded-For, no cookie kept). Fake ratings are all "very dissatisfied". Prints one line:
the answers by status.
"""
import collections
import http.client
import sys
import urllib.parse

base, counter, way, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
host = urllib.parse.urlparse(base).netloc
connection = http.client.HTTPConnection(host, timeout=30)
answers = collections.Counter()
for i in range(n):
    if way == "honest":
        address, level = f"10.77.{i}.1", "4" if i % 4 else "2"
    elif way == "one-address":
        address, level = "10.66.6.6", "1"
    else:
        address, level = f"10.{100 + i % 50}.0.9", "1"
    connection.request(
        "POST",
        f"/c/{counter}",
        body=f"level={level}",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": address,
                 "Origin": base, "Accept-Encoding": "gzip"},
    )
    response = connection.getresponse()
    response.read()
    answers[response.status] += 1
print(" ".join(f"{status}: {count}" for status, count in sorted(answers.items())))
