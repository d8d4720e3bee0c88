"""Schemathesis hooks for ContractTests: rules of Wayline's API that OpenAPI
3.1 cannot state, applied to the cases Schemathesis generates as valid, so
that a case it calls valid is one the API accepts. Cases generated as
invalid are sent as generated. The rules, as the document's descriptions
give them:

- `recorded_at` lies between 2000-01-01 and five minutes from now: a window
  that moves with the clock.
- cache keys and tags are at most 512 and 128 bytes of UTF-8: JSON Schema
  counts characters, so the document bounds characters (never fewer bytes).
- attribute strings are at most 64 bytes of UTF-8 (the document bounds
  characters, as for cache keys).
- `stats` and `invalidate` are not keys (they are endpoints of their own).
- nearby with `rank=eta` ranks `current` drivers within at most 10 km of a
  pickup on the roads: a valid case's pickup becomes a point of the test's
  network.
- a geofence is not named `events` (the feed's name), and is a valid polygon (GEOS's rules: closed rings that do not
  cross themselves, holes inside their shell), or a circle, not both; its
  conditions read as nearby's; its webhook's URL has no user information.
  A valid case's geometry becomes a square around its first position, its
  conditions `status:available`, its webhook URL one of loopback.
- the OSRM services snap coordinates to the imported roads: a valid case's
  coordinates become points of the test's network (WAYLINE_CONTRACT_POINTS,
  `lng,lat;lng,lat…`), and the options whose count must match the
  coordinates' (radiuses, bearings, approaches, hints, sources,
  destinations, and match's timestamps and waypoints) are left out.
"""
import datetime
import os

import schemathesis
from schemathesis import GenerationMode

RESERVED_KEYS = {"stats", "invalidate"}
POINTS = [p.split(",") for p in os.environ.get("WAYLINE_CONTRACT_POINTS", "").split(";") if p]
PER_POINT = ("radiuses", "bearings", "approaches", "hints", "sources", "destinations", "timestamps", "waypoints")


def within_bytes(text, limit):
    """`text` cut to at most `limit` bytes of UTF-8, at a character boundary."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def valid_time(value):
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return now.isoformat().replace("+00:00", "Z")
    if when.tzinfo is None or not datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc) <= when <= now:
        return now.isoformat().replace("+00:00", "Z")
    return value


def fix_attributes(attributes):
    if isinstance(attributes, dict):
        for name, value in attributes.items():
            if isinstance(value, str):
                attributes[name] = within_bytes(value, 64)


def fix_location(item):
    if isinstance(item, dict) and isinstance(item.get("recorded_at"), str):
        item["recorded_at"] = valid_time(item["recorded_at"])
    if isinstance(item, dict):
        fix_attributes(item.get("attributes"))


def on_roads(case):
    """Moves an OSRM case's coordinates onto the network, keeping their count."""
    coordinates = (case.path_parameters or {}).get("coordinates")
    if isinstance(coordinates, str):
        count = len(coordinates.removesuffix(".json").split(";"))
        case.path_parameters["coordinates"] = ";".join(",".join(POINTS[i % len(POINTS)]) for i in range(count))
    if isinstance(case.body, dict) and isinstance(case.body.get("coordinates"), list):
        count = len(case.body["coordinates"])
        case.body["coordinates"] = [[float(c) for c in POINTS[i % len(POINTS)]] for i in range(count)]
    for name in PER_POINT:
        if case.query:
            case.query.pop(name, None)
        if isinstance(case.body, dict):
            case.body.pop(name, None)


def fix_geofence(body):
    """A schema-valid fence made one the API accepts (see the module's rules)."""
    if "geometry" in body and "circle" in body:
        del body["circle"]
    geometry = body.get("geometry")
    if isinstance(geometry, dict):
        first = geometry.get("coordinates")
        while isinstance(first, list) and first and isinstance(first[0], list):
            first = first[0]
        lng, lat = (first[0], first[1]) if isinstance(first, list) and len(first) >= 2 else (0.0, 0.0)
        lng, lat = max(-179.0, min(179.0, float(lng))), max(-89.0, min(89.0, float(lat)))
        square = [[lng, lat], [lng + 0.5, lat], [lng + 0.5, lat + 0.5], [lng, lat + 0.5], [lng, lat]]
        geometry["coordinates"] = [square] if geometry.get("type") == "Polygon" else [[square]]
    for name in ("where", "wherein"):
        if name in body:
            body[name] = ["status:available"]
    if isinstance(body.get("webhook"), dict):
        body["webhook"]["url"] = "http://127.0.0.1:9/geofence"


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if case.operation.path.split("/")[1] in ("route", "table", "nearest", "trip", "match") and POINTS:
        on_roads(case)
    # A one-way trip from any stop to any is OSRM's NotImplemented, a rule the schema cannot state.
    query = case.query or {}
    if case.operation.path.startswith("/trip/") and query.get("roundtrip") == "false" and query.get("destination") != "last":
        case.query["source"] = "first"
    if case.operation.path == "/v1/nearby" and (case.query or {}).get("rank") == "eta" and POINTS:
        case.query.pop("type", None)
        case.query["lng"], case.query["lat"] = (float(c) for c in POINTS[0])
        if isinstance(case.query.get("radius_m"), (int, float)) and case.query["radius_m"] > 10_000:
            case.query["radius_m"] = 10_000
    if case.operation.path == "/v1/geofences/{id}" and case.path_parameters.get("id") == "events":
        case.path_parameters["id"] = "events_"
    key = (case.path_parameters or {}).get("key")
    if isinstance(key, str):
        key = within_bytes(key, 512) or "k"
        case.path_parameters["key"] = key + "_" if key in RESERVED_KEYS else key
    body = case.body
    if not isinstance(body, dict):
        return
    if case.operation.path == "/v1/geofences/{id}":
        fix_geofence(body)
        return
    if case.operation.path.endswith("/attributes"):
        fix_attributes(body)
    fix_location(body)
    for item in body.get("updates") or []:
        fix_location(item)
    if isinstance(body.get("tags"), list):
        body["tags"] = [within_bytes(tag, 128) or "t" if isinstance(tag, str) else tag for tag in body["tags"]]
