"""Drives a running `wayline serve` as an operator's tools would and prints
what they saw, as JSON, for ObservabilityTests to judge:

    observe.py BASE TOKEN [METRICS_BASE]

- requests with a sane, an insane and no X-Request-Id, and one to a path
  that carries a user id; a cache write, and time for its notification to
  come back;
- `GET /metrics` (from METRICS_BASE when given) parsed by prometheus_client's
  own parser, the exposition also checked by `promtool check metrics`.
"""
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def get(url, token=None, request_id=None, method="GET", body=None):
    request = urllib.request.Request(url, data=body, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if request_id is not None:
        request.add_header("X-Request-Id", request_id)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def main():
    base, token = sys.argv[1], sys.argv[2]
    metrics_base = sys.argv[3] if len(sys.argv) > 3 else base
    seen = {}
    _, headers, _ = get(f"{base}/health", request_id="caller-id-0001")
    seen["sane_id"] = headers.get("X-Request-Id")
    _, headers, _ = get(f"{base}/health", request_id="has space")
    seen["insane_id"] = headers.get("X-Request-Id")
    _, headers, _ = get(f"{base}/health", request_id="x" * 129)
    seen["long_id"] = headers.get("X-Request-Id")
    _, headers, _ = get(f"{base}/health")
    seen["no_id"] = headers.get("X-Request-Id")
    status, headers, _ = get(f"{base}/v1/locations/5b0c3c0e-7d1a-4f5e-9a51-3f1f0c7f2a10/current", token, "lookup-0002")
    seen["lookup"] = {"status": status, "id": headers.get("X-Request-Id")}
    status, _, _ = get(f"{base}/v1/nearby?lat=43.73&lng=7.42&radius_m=500", token)
    seen["nearby_status"] = status
    status, _, _ = get(f"{base}/no/such/path/5b0c3c0e")
    seen["missing_status"] = status
    # Without a token on a user-data endpoint, and with a forged one.
    seen["anonymous_status"] = get(f"{base}/v1/nearby?lat=43.73&lng=7.42&radius_m=500")[0]
    seen["forged_status"] = get(f"{base}/v1/nearby?lat=43.73&lng=7.42&radius_m=500", "e30.e30.e30")[0]
    # Once the instance listens for cache notifications (ready does not wait for that), a write, and time for its notification to come back.
    for _ in range(100):
        status, _, text = get(f"{base}/v1/cache/stats", token)
        if status == 200 and json.loads(text)["instance"].get("coherent"):
            break
        time.sleep(0.1)
    seen["cache_put_status"] = get(f"{base}/v1/cache/observed", token, method="PUT", body=b'{"value": 1}')[0]
    time.sleep(1)

    status, headers, text = get(f"{metrics_base}/metrics")
    seen["metrics_status"] = status
    seen["metrics_content_type"] = headers.get("Content-Type")
    seen["service_port_metrics_status"] = get(f"{base}/metrics")[0]
    families = {}
    for family in text_string_to_metric_families(text):
        families[family.name] = {
            "type": family.type,
            "help": family.documentation,
            "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
        }
    seen["families"] = families
    check = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    seen["promtool"] = {"status": check.returncode, "output": (check.stdout + check.stderr).strip()}
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
