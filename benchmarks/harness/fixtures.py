"""Deterministic benchmark data, shared by every side of a comparison.

`line()` is the same 1,000-point line as benchmarks/Fixtures/Fixtures.swift
(same SplitMix64 stream, same arithmetic), so the Swift and Python polyline
numbers measure identical work. `drivers()` and `cache_entries()` build the
standard dataset of the benchmark issue: drivers uniformly in the box
lat -2.05..-1.85, lng 29.95..30.25 (80 % `current`, the rest other types), and
cache entries spread over 1,000 tags.
"""

import uuid

MASK = (1 << 64) - 1
LOCATION_TYPES = ["home", "work", "favorite", "pickup", "dropoff"]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit(self):
        return (self.next() >> 11) / float(1 << 53)


def line(count=1000, seed=42):
    rng = SplitMix64(seed)
    latitude, longitude = -1.95, 30.06
    points = []
    for _ in range(count):
        points.append((latitude, longitude))
        latitude += (rng.unit() - 0.5) * 0.0002
        longitude += (rng.unit() - 0.5) * 0.0002
    return points


def drivers(count, seed=1):
    """Yields (user_id, type, lat, lng)."""
    rng = SplitMix64(seed)
    for index in range(count):
        user = uuid.UUID(int=(rng.next() << 64) | rng.next(), version=4)
        kind = "current" if index % 5 != 4 else LOCATION_TYPES[rng.next() % len(LOCATION_TYPES)]
        lat = -2.05 + rng.unit() * 0.20
        lng = 29.95 + rng.unit() * 0.30
        yield str(user), kind, lat, lng


def cache_entries(count, tags=1000, seed=2):
    """Yields (key, json_value, tag). Keys carry 12-digit numbers because that
    is what redis-benchmark's __rand_int__ expands to."""
    rng = SplitMix64(seed)
    for index in range(count):
        yield f"bench:{index:012d}", f'{{"n": {index}, "eta_s": {rng.next() % 3600}}}', f"tag:{index % tags}"
