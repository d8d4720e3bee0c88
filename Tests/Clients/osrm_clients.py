"""Drives a running Wayline with two real OSRM clients, their default options:
routingpy's OSRM (directions, matrix) and osrm-py (route, nearest, match).

Usage: WAYLINE_TRACE='LNG,LAT;LNG,LAT;...' osrm_clients.py BASE_URL LNG,LAT LNG,LAT LNG,LAT ...
(the trace is matched with osrm-py's match)
Prints one JSON object: what each client parsed, for the Swift test
(OSRMClientTests) to hold against pgRouting.
"""

import json
import os
import sys

import osrm
import routingpy

base = sys.argv[1]
points = [[float(v) for v in p.split(",")] for p in sys.argv[2:]]
trace = [[float(v) for v in p.split(",")] for p in os.environ["WAYLINE_TRACE"].split(";")]

router = routingpy.OSRM(base_url=base)
direction = router.directions(locations=points[:3], profile="driving")
stepped = router.directions(locations=points[:3], profile="driving", steps=True)
matrix = router.matrix(locations=points, profile="driving")

client = osrm.Client(host=base)
route = client.route(coordinates=points[:3])
nearest = client.nearest(coordinates=[points[0]])
matched = client.match(coordinates=trace)

print(json.dumps({
    "routingpy_directions": {"duration": direction.duration, "distance": direction.distance, "points": len(direction.geometry)},
    "routingpy_steps": len(stepped.raw["routes"][0]["legs"][0]["steps"]),
    "routingpy_matrix": {"durations": matrix.durations, "distances": matrix.distances},
    "osrm_route": {
        "code": route["code"],
        "legs": [leg["duration"] for leg in route["routes"][0]["legs"]],
        "duration": route["routes"][0]["duration"],
    },
    "osrm_nearest": nearest["waypoints"][0]["location"],
    "osrm_match": {
        "code": matched["code"],
        "distances": [matching["distance"] for matching in matched["matchings"]],
        "tracepoints": [point is not None for point in matched["tracepoints"]],
    },
}))
