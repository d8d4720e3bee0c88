#!/usr/bin/env bash
# The side-by-side benchmark harness: `make bench`.
#
# Builds the release binary, starts on loopback a private PostGIS, Redis and
# Wayline, loads the standard dataset (deterministic), runs every workload
# against Wayline and against what a user would otherwise pick, in the same
# run, and prints one table. Raw results, the table and a chart go to
# benchmarks/results/<timestamp>/.
#
# Knobs: WAYLINE_BENCH_SCALE (dataset multiplier, default 1: 100,000 drivers
# and 100,000 cache entries), WAYLINE_BENCH_SECONDS (per load run, default 10),
# WAYLINE_BENCH_CONNECTIONS (default 32), WAYLINE_BENCH_WORKLOADS (default
# "W0 W1 W1F W1A W2 W2G W9 W3 W4 W8 W5 W5A W6 W7 NET": a subset reruns just those; IX, not run by
# default, measures the candidates for the locations table's spatial index).
# W3 and W4 read the OpenStreetMap extracts in ../shared/data
# (WAYLINE_BENCH_EXTRACTS); NET imports a synthetic street grid of
# WAYLINE_BENCH_GRID × WAYLINE_BENCH_GRID crossings (default 500).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

scale=${WAYLINE_BENCH_SCALE:-1}
seconds=${WAYLINE_BENCH_SECONDS:-10}
connections=${WAYLINE_BENCH_CONNECTIONS:-32}
workloads=" ${WAYLINE_BENCH_WORKLOADS:-W0 W1 W1F W1A W2 W2G W9 W3 W4 W8 W5 W5A W6 W7 NET} "
want() { [[ "$workloads" == *" $1 "* ]]; }
drivers=$((100000 * scale))
entries=$((100000 * scale))
http_port=18080
second_port=18081
redis_port=16379
nginx_port=18082
auth_port=18083

scripts/install-deps.sh --bench
swift build -c release --product wayline
wayline=$root/.build/release/wayline

work=$(mktemp -d /tmp/wayline-bench-XXXXXX)
results=$root/benchmarks/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
server_pid=""
auth_pid=""
second_pid=""
# Stops a server and waits for it, but not forever: a shutdown that hangs is
# reported (it is a bug) and the process killed, so the run always finishes.
stop_server() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  echo "Wayline (pid $1) did not stop within 10 s of SIGTERM; killed" >&2
  # Where it hung, for the bug report. Seen twice before `serve` bounded its
  # graceful shutdown (5 s, then cancellation): all threads idle, the main task
  # still waiting.
  if command -v gdb >/dev/null; then
    gdb -batch -ex "thread apply all bt 30" -p "$1" > "$results/hang-$1.txt" 2>&1 || true
    echo "its threads' stacks: $results/hang-$1.txt" >&2
  fi
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  for pid in $server_pid $second_pid $auth_pid; do stop_server "$pid"; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  redis-cli -p $redis_port shutdown nosave >/dev/null 2>&1 || true
  "$wayline" db stop --data-dir "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

harness() { python3 "$root/benchmarks/harness/harness.py" "$@"; }
record() { # items, kind, file, workload, system, command
  local items=$1
  shift
  ITEMS=$items python3 "$root/benchmarks/harness/harness.py" parse "$@" >> "$results/results.jsonl"
}
say() { printf '\n== %s\n' "$*" >&2; }

harness machine > "$results/machine.json"
# On a virtual machine the hypervisor may take CPU time from the guest
# ("steal"); the run's share is printed at the end, to tell a slow run.
cpu_times() { head -1 /proc/stat; }
cpu_at_start=$(cpu_times)
cat "$results/machine.json" >&2

say "starting PostGIS, Redis and Wayline on loopback"
url=$("$wayline" db start --data-dir "$work/pg")
socket_dir=${url#*host=}
redis-server --bind 127.0.0.1 --port $redis_port --save '' --appendonly no --daemonize yes \
  --dir "$work" --logfile "$work/redis.log" >/dev/null
# Access control off: W0–W6 measure the routes themselves, as every earlier
# run did; W1A and W5A measure what a token adds, against a second server.
# W8 ranks every driver within 3 km of a pickup, thousands in Andorra's
# towns: beyond the default bound (2,000), which would refuse them. W7's
# fences have webhooks, whose secrets are sealed under a key of this run.
export WAYLINE_SECRETS_KEY=$(head -c 32 /dev/urandom | base64)
WAYLINE_AUTH=off WAYLINE_WEBHOOK_ALLOW_NETWORKS=127.0.0.0/8 DATABASE_URL=$url WAYLINE_PORT=$http_port WAYLINE_LOG_LEVEL=warning WAYLINE_ETA_MAX_CANDIDATES=100000 "$wayline" serve &
server_pid=$!
wait_ready() {
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$1/ready" >/dev/null && return
    sleep 0.5
  done
  echo "Wayline on port $1 did not become ready" >&2
  exit 1
}
wait_ready $http_port
# The same service with access control on (W1A, W5A), and a token for it.
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
token=$(WAYLINE_JWT_SECRET=$secret DATABASE_URL=$url "$wayline" token --role service_role --ttl 1d)
WAYLINE_JWT_SECRET=$secret DATABASE_URL=$url WAYLINE_PORT=$auth_port WAYLINE_LOG_LEVEL=warning "$wayline" serve &
auth_pid=$!
wait_ready $auth_port
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -U wayline -d wayline "$@"; }
# After bulk writes: cleans dead rows and writes dirty pages out now, so that
# autovacuum and the checkpointer do not do it under the next workload.
settle_database() { psql_ -c "VACUUM ANALYZE ${1:-}" -c "CHECKPOINT"; }

say "loading the standard dataset: $drivers drivers, $entries cache entries over 1,000 tags"
harness dataset "$work/data" --drivers $drivers --entries $entries
psql_ -c "\copy locations (user_id, type, coordinates) FROM '$work/data/drivers.csv' WITH (FORMAT csv)"
psql_ -c "\copy cache_entries (key, value, cache_type, tags, expires_at) FROM '$work/data/cache.csv' WITH (FORMAT csv)"
psql_ -c "VACUUM ANALYZE locations" -c "VACUUM ANALYZE cache_entries"
redis-cli -p $redis_port --pipe < "$work/data/drivers.resp" >/dev/null
redis-cli -p $redis_port --pipe < "$work/data/cache.resp" >/dev/null

cpu_ticks() { # total user+system clock ticks of the given processes
  local total=0 pid
  for pid; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo $total
}
wait_idle() { # until the given processes use under 4 % of a core for half a second (at most 30 s)
  local before
  for _ in $(seq 1 60); do
    before=$(cpu_ticks "$@")
    sleep 0.5
    (( $(cpu_ticks "$@") - before <= 2 )) && return
  done
}
wrk_command() { # lua script, url
  echo "wrk -t2 -c$connections -d${seconds}s --latency -s $1 $2"
}
wrk_run() { # workload, system, url, [lua script]
  local command
  command=$(wrk_command "${4:-$root/benchmarks/harness/wrk/report.lua}" "$3")
  say "$1 $2: $command"
  $command > "$work/out.txt"
  cat "$work/out.txt" >&2
  record "${WRK_ITEMS:-1}" wrk "$work/out.txt" "$1" "$2" "$command"
}
# HTTP workloads are divided by the ceiling measured over the same minutes:
# the workload and W0 run in alternating 2 s slices, as many of each as fit
# the workload's time, in the order W0 W W W0 W0 W …, so that the host's
# drifts weigh on both alike; each is then its slices' requests over their
# time, with latencies from their merged histograms. Bracketing a run with one
# probe before and one after was not enough: on a 2-core VM, back-to-back 3 s
# runs of /health ranged from 36,000 to 48,000 req/s, and a run that reported
# W1 at 0.93× the mean of its probes was followed by alternating runs of the
# same nearby path at 0.78–0.81×.
# One slice of a workload, appended to the stem's output and histogram.
slice() { # file stem, lua script, url
  WRK_HISTOGRAM=$1.hist $(wrk_command "$2" "$3") | tee -a "$1.txt" | grep -E 'Requests/sec|Non-2xx' >&2
}
alternating() { # workload, url, lua script
  local full=$seconds rounds=$(( (seconds + 1) / 2 )) round
  local slices=$work/slices-$1 ceilings=$work/slices-W0-around-$1
  local ceiling=("$root/benchmarks/harness/wrk/report.lua" "http://127.0.0.1:$http_port/health")
  rm -f "$slices".{txt,hist} "$ceilings".{txt,hist}
  seconds=2
  say "$1 wayline and W0 in alternating slices: $(wrk_command "$3" "$2")"
  for round in $(seq 1 $rounds); do
    if (( round % 2 )); then
      slice "$ceilings" "${ceiling[@]}"; slice "$slices" "$3" "$2"
    else
      slice "$slices" "$3" "$2"; slice "$ceilings" "${ceiling[@]}"
    fi
  done
  local each="$rounds slices of ${seconds} s"
  HISTOGRAM=$ceilings.hist OPERATION="around $1" record 1 wrk "$ceilings.txt" W0 wayline \
    "$(wrk_command "${ceiling[@]}") ($each alternating with $1)"
  HISTOGRAM=$slices.hist record 1 wrk "$slices.txt" "$1" wayline "$(wrk_command "$3" "$2") ($each alternating with W0)"
  seconds=$full
}
# Two variants of one workload in alternating slices, as `alternating` runs
# a workload beside W0: each variant is a system name, a URL and NAME=value
# exported for its slices (- for none). The second is the "wayline" row, so
# the table's ratio is the second's throughput over the first's.
two_ways() { # workload, lua script, system, url, env, system, url, env, what the second adds
  local full=$seconds rounds=$(( (seconds + 1) / 2 )) round script=$2
  local first=$work/slices-$1-$3 second=$work/slices-$1-$6
  rm -f "$first".{txt,hist} "$second".{txt,hist}
  seconds=2
  say "$1 $3 and $6 in alternating slices: $(wrk_command "$2" "$4")"
  variant() { ( if [ "$3" != - ]; then export "${3?}"; fi; slice "$1" "$script" "$2" ) }
  for round in $(seq 1 $rounds); do
    if (( round % 2 )); then
      variant "$first" "$4" "$5"; variant "$second" "$7" "$8"
    else
      variant "$second" "$7" "$8"; variant "$first" "$4" "$5"
    fi
  done
  local each="$rounds slices of ${seconds} s alternating"
  HISTOGRAM=$first.hist record 1 wrk "$first.txt" "$1" "$3" "$(wrk_command "$2" "$4") ($each)"
  HISTOGRAM=$second.hist record 1 wrk "$second.txt" "$1" "$6" "$(wrk_command "$2" "$7") $9 ($each)"
  seconds=$full
}
# What access control costs: the same workload on the open server and, with a
# service token, on the one that verifies it.
paired() { # workload, path and query, lua script
  two_ways "$1" "$3" wayline-without-auth "http://127.0.0.1:$http_port$2" - \
    wayline "http://127.0.0.1:$auth_port$2" "BENCH_TOKEN=$token" "with a service token"
}
pgbench_run() { # workload, system, script, [extra -D definitions]
  local command="pgbench -n -c $connections -j $((connections < 2 ? connections : 2)) -T $seconds -f $root/benchmarks/harness/pgbench/$3 ${4:-} -h $socket_dir -U wayline wayline"
  say "$1 $2: $command"
  $command > "$work/out.txt" 2>&1
  cat "$work/out.txt" >&2
  record "${PGBENCH_ITEMS:-1}" pgbench "$work/out.txt" "$1" "$2" "$command"
}
redis_run() { # workload, system, requests, [options --] command...
  local workload=$1 system=$2 requests=$3
  shift 3
  local command="redis-benchmark -h 127.0.0.1 -p $redis_port -c $connections --threads 2 -n $requests $*"
  say "$workload $system: $command"
  redis-benchmark -h 127.0.0.1 -p $redis_port -c $connections --threads 2 -n "$requests" "$@" > "$work/out.txt"
  tail -8 "$work/out.txt" >&2
  record 1 redis "$work/out.txt" "$workload" "$system" "$command"
}

if want W0; then
  # The server's live index is still taking in the 80,000 positions just
  # loaded; measured before that ends, the ceiling came out below W3 and W5.
  wait_idle "$server_pid"
  wrk_run W0 wayline "http://127.0.0.1:$http_port/health"
  # The same answer from nginx, two workers (one per core): what this machine
  # and wrk allow any HTTP server, and so the floor of any latency target.
  sed "s|@WORK@|$work|g; s|@PORT@|$nginx_port|g" "$root/benchmarks/harness/nginx.conf" > "$work/nginx.conf"
  nginx -e "$work/nginx-error.log" -c "$work/nginx.conf"
  wrk_run W0 nginx "http://127.0.0.1:$nginx_port/health"
  kill "$(cat "$work/nginx.pid")"
fi

if want W1; then
alternating W1 "http://127.0.0.1:$http_port/v1/nearby" "$root/benchmarks/harness/wrk/nearby.lua"
pgbench_run W1 postgis-knn knn.sql
pgbench_run W1 seed-find_nearby_locations find_nearby.sql
# redis-benchmark cannot randomise coordinates, so every search starts from
# the centre of the box: the densest, hence slowest, case for every system.
redis_run W1 redis-geosearch $((2000 * seconds)) GEOSEARCH drivers FROMLONLAT 30.1 -1.95 BYRADIUS 2 km ASC COUNT 10
fi

# The drivers numbered, for the upsert ceiling's ranges of 500 (W2, IX).
psql_ -c "CREATE TABLE bench_driver_ids AS SELECT row_number() OVER () - 1 AS n, user_id FROM locations WHERE type = 'current'"
upsert_ceiling() { # workload, [operation]
  OPERATION=${2:-} PGBENCH_ITEMS=500 pgbench_run "$1" postgres-upsert-ceiling upsert.sql "-D drivers=$((drivers * 4 / 5))"
  # It leaves hundreds of thousands of dead rows and dirty pages.
  settle_database locations
}

if want W2; then
# W2 counts updates, not requests: each request carries 500 (ITEMS in the result line).
WRK_ITEMS=500 wrk_run W2 wayline "http://127.0.0.1:$http_port/v1/locations/batch" "$root/benchmarks/harness/wrk/ingest.lua"
upsert_ceiling W2
fi

if want W2G; then
# W2 with drivers going in and out of fences: the same moves with no fence,
# then with 10,000 fences whose webhooks are nginx's (a tenth of the
# updates cross one), while a probe times write → webhook.
settle_database locations
WRK_ITEMS=500 OPERATION="no fence" wrk_run W2G wayline "http://127.0.0.1:$http_port/v1/locations/batch" "$root/benchmarks/harness/wrk/ingest_fences.lua"
settle_database locations
sed "s|@WORK@|$work|g; s|@PORT@|$nginx_port|g" "$root/benchmarks/harness/nginx.conf" > "$work/nginx.conf"
nginx -e "$work/nginx-error.log" -c "$work/nginx.conf"
say "W2G: defining 10,000 fences"
harness fences $http_port "http://127.0.0.1:$nginx_port/hook"
harness webhook-latency $http_port "$seconds" >> "$results/results.jsonl" &
latency=$!
WRK_ITEMS=500 OPERATION="10,000 fences, a tenth of the updates crossing one" \
  wrk_run W2G wayline "http://127.0.0.1:$http_port/v1/locations/batch" "$root/benchmarks/harness/wrk/ingest_fences.lua"
wait $latency
psql_ -c "SELECT count(*) AS events, count(*) FILTER (WHERE status = 'completed') AS delivered FROM message_queue WHERE queue_name = 'geofence_webhooks'" >&2
kill "$(cat "$work/nginx.pid")"
psql_ -c "DELETE FROM geofences" -c "DELETE FROM message_queue WHERE queue_name = 'geofence_webhooks'"
settle_database locations
fi

if want IX; then
# What the index on locations.coordinates costs writes and gives reads
# (migration 20260401230000 cites this): each candidate in turn under the W2
# upsert ceiling and W1's KNN query, then the migration's index again.
for method in gist spgist none; do
  say "IX: coordinates index $method"
  psql_ -c "DROP INDEX IF EXISTS idx_locations_geo"
  [ $method = none ] || psql_ -c "CREATE INDEX idx_locations_geo ON locations USING $method (coordinates)"
  settle_database locations
  upsert_ceiling IX "index: $method"
  OPERATION="index: $method" pgbench_run IX postgis-knn knn.sql
done
psql_ -c "DROP INDEX IF EXISTS idx_locations_geo" -c "CREATE INDEX idx_locations_geo ON locations USING gist (coordinates)"
settle_database locations
fi

extracts=${WAYLINE_BENCH_EXTRACTS:-$root/../shared/data}
[ -f "$extracts/monaco.osm.pbf" ] || extracts=/work/shared/data
if want W9; then
  # Dispatch's mix: the fleet's position writes as fast as 128 connections send
  # them (100,000 drivers; offered at a position every 4 s each that would be
  # 25,000/s) while nearby runs at 32 connections, and how long after a write
  # is acknowledged by one instance the other's index answers with it.
  OPERATION="nearby, idle" wrk_run W9 wayline "http://127.0.0.1:$http_port/" "$root/benchmarks/harness/wrk/nearby.lua"
  write_command="wrk -t1 -c128 -d${seconds}s --latency -s $root/benchmarks/harness/wrk/dispatch.lua http://127.0.0.1:$http_port/"
  say "W9 position writes: $write_command (beside nearby and the lag probe)"
  $write_command > "$work/dispatch.txt" &
  writes_pid=$!
  harness index-lag $http_port $auth_port "$token" "$seconds" > "$work/lag.json" &
  lag_pid=$!
  OPERATION="nearby, under position writes" wrk_run W9 wayline "http://127.0.0.1:$http_port/" "$root/benchmarks/harness/wrk/nearby.lua"
  wait $writes_pid $lag_pid
  cat "$work/dispatch.txt" >&2
  OPERATION="position writes, under nearby" record 1 wrk "$work/dispatch.txt" W9 wayline "$write_command"
  cat "$work/lag.json" >> "$results/results.jsonl"
  settle_database locations
fi

# The import's turn rows as the router loads them (turns at one vertex).
turns_sql="SELECT path[1], via, path[2], cost FROM road_network.restrictions WHERE array_length(path, 1) = 2 AND via IS NOT NULL"

if want W4 || want W3; then
  swift build -c release --package-path benchmarks --product RouteTiming >&2
fi
if want W4; then
for extract in monaco andorra; do
  say "W4 route computation on $extract: in-process (RouteTiming) and pgr_trsp, the same 1,000 vertex pairs and turn costs"
  DATABASE_URL=$url "$wayline" import-osm "$extracts/$extract.osm.pbf" > "$work/import.log"
  psql_ -c "\copy (SELECT gid, source, target, cost_s, reverse_cost_s, length_m FROM road_network.ways WHERE source IS NOT NULL) TO '$work/edges.csv' WITH (FORMAT csv)" \
        -c "\copy ($turns_sql) TO '$work/turns.csv' WITH (FORMAT csv)"
  psql_ -c "DROP TABLE IF EXISTS bench_pairs" \
        -c "CREATE TABLE bench_pairs AS SELECT row_number() OVER () AS i, a.id AS s, b.id AS t
            FROM (SELECT id, row_number() OVER (ORDER BY md5(id::text)) n FROM road_network.ways_vertices_pgr) a
            JOIN (SELECT id, row_number() OVER (ORDER BY md5(id::text || 'x')) n FROM road_network.ways_vertices_pgr) b USING (n)
            LIMIT 1000" \
        -c "\copy (SELECT s, t FROM bench_pairs ORDER BY i) TO '$work/pairs.csv' WITH (FORMAT csv)"
  "$root/benchmarks/.build/release/RouteTiming" "$extract" "$work/edges.csv" "$work/turns.csv" "$work/pairs.csv" 5 >> "$results/results.jsonl"
  # One client: the time of one query, as the in-process figure is.
  connections=1 OPERATION=$extract pgbench_run W4 pgr_trsp pgr_trsp.sql "-D pairs=1000"
done
fi

# W7 on the network imported now, labelled $1: the same 100 vertices in
# process (TableTiming), by pgr_dijkstraCostMatrix and by pandana.
table_timing() { # label
  say "W7 table 100 x 100 on $1: in-process (TableTiming), pgr_dijkstraCostMatrix and pandana, the same 100 vertices"
  psql_ -c "\copy (SELECT gid, source, target, cost_s, reverse_cost_s, length_m FROM road_network.ways WHERE source IS NOT NULL) TO '$work/edges.csv' WITH (FORMAT csv)" \
        -c "\copy ($turns_sql) TO '$work/turns.csv' WITH (FORMAT csv)" \
        -c "\copy (SELECT id, ST_X(the_geom), ST_Y(the_geom) FROM road_network.ways_vertices_pgr) TO '$work/vertices.csv' WITH (FORMAT csv)" \
        -c "DROP TABLE IF EXISTS bench_table_vertices" \
        -c "CREATE TABLE bench_table_vertices AS SELECT id FROM road_network.ways_vertices_pgr v
            WHERE EXISTS (SELECT 1 FROM road_network.ways w WHERE (w.source = v.id OR w.target = v.id) AND (w.cost_s >= 0 OR w.reverse_cost_s >= 0))
            ORDER BY md5(id::text || 'W7') LIMIT 100" \
        -c "\copy (SELECT id FROM bench_table_vertices) TO '$work/table-ids.csv' WITH (FORMAT csv)"
  "$root/benchmarks/.build/release/TableTiming" "$1" "$work/edges.csv" "$work/turns.csv" "$work/vertices.csv" "$work/table-ids.csv" 20 >> "$results/results.jsonl"
  connections=1 OPERATION=$1 pgbench_run W7 pgr_dijkstraCostMatrix pgr_dijkstra_cost_matrix.sql
  # pandana's C++ core prints its progress on standard output, before the result line.
  harness pandana-table "$1" "$work/edges.csv" "$work/vertices.csv" "$work/table-ids.csv" 20 \
    | grep -o '{"workload".*}' >> "$results/results.jsonl"
}

if want W7; then
  swift build -c release --package-path benchmarks --product TableTiming >&2
  for extract in monaco andorra; do
    DATABASE_URL=$url "$wayline" import-osm "$extracts/$extract.osm.pbf" > "$work/import.log"
    table_timing "$extract"
  done
fi

if want W3; then
  # W3 serves routes on the network W4 leaves imported (Andorra); alone, it imports that itself.
  want W4 || DATABASE_URL=$url "$wayline" import-osm "$extracts/andorra.osm.pbf" > "$work/import.log"
  # The imports leave dead rows and dirty pages, as W2 does.
  settle_database
  say "W3 cached route hit: 200 routes on the imported network, each computed once, then served"
  psql_ -At -F, -c "SELECT ST_X(the_geom), ST_Y(the_geom) FROM road_network.ways_vertices_pgr ORDER BY md5(id::text) LIMIT 400" > "$work/points.csv"
  python3 "$root/benchmarks/harness/harness.py" route-paths "$work/points.csv" $http_port > "$work/routes.txt"
  ROUTES=$work/routes.txt alternating W3 "http://127.0.0.1:$http_port/" "$root/benchmarks/harness/wrk/routes.lua"
  # The same routes with steps: each request computes its legs' steps again (they are not stored).
  sed 's/$/?steps=true/' "$work/routes.txt" > "$work/routes-steps.txt"
  OPERATION="steps=true" ROUTES=$work/routes-steps.txt alternating W3 "http://127.0.0.1:$http_port/" "$root/benchmarks/harness/wrk/routes.lua"
fi

if want W8; then
  # Nearby by road time on Andorra's roads (W3, W4 and W7 leave it imported;
  # alone, W8 imports it): 100,000 more drivers, each at a random point of a
  # random road open to cars with a random heading, beside W1's (which are in
  # another country); pickups are 1,000 vertices of the network.
  imported=$(psql_ -At -c "SELECT source_file FROM road_network_imports ORDER BY id DESC LIMIT 1" 2>/dev/null || true)
  [ "$imported" = andorra.osm.pbf ] || DATABASE_URL=$url "$wayline" import-osm "$extracts/andorra.osm.pbf" > "$work/import.log"
  say "W8 nearby by road time: 100,000 drivers on Andorra's roads, k=10 within 3 km"
  psql_ -c "SELECT setseed(0.8)" -c "
    WITH roads AS (SELECT array_agg(the_geom ORDER BY gid) AS g FROM road_network.ways WHERE cost_s >= 0 OR reverse_cost_s >= 0)
    INSERT INTO locations (user_id, type, coordinates, heading_deg)
    SELECT gen_random_uuid(), 'current', ST_LineInterpolatePoint(roads.g[1 + floor(random() * array_length(roads.g, 1))::int], random())::geography,
           floor(random() * 360)
    FROM roads, generate_series(1, 100000)" \
        -c "DROP TABLE IF EXISTS bench_pickups" \
        -c "CREATE TABLE bench_pickups AS SELECT row_number() OVER (ORDER BY md5(id::text || 'W8')) AS i, id, the_geom
            FROM road_network.ways_vertices_pgr ORDER BY md5(id::text || 'W8') LIMIT 1000" \
        -c "\copy (SELECT ST_Y(the_geom), ST_X(the_geom) FROM bench_pickups ORDER BY i) TO '$work/pickups.csv' WITH (FORMAT csv)"
  settle_database locations
  # The live index takes the new drivers in from the table.
  wait_idle "$server_pid"
  PICKUPS=$work/pickups.csv alternating W8 "http://127.0.0.1:$http_port/" "$root/benchmarks/harness/wrk/eta.lua"
  pgbench_run W8 postgis-knn-pgr_dijkstraCost eta_pgrouting.sql
  psql_ -c "DELETE FROM locations WHERE type = 'current' AND ST_DWithin(coordinates, ST_SetSRID(ST_MakePoint(1.52, 42.54), 4326)::geography, 60000)"
  settle_database locations
fi

# Fills servers' L1s (each key once), as services that have been up would
# have them; entries stay in memory for the backstop (60 s), so servers
# compared with each other are filled together. wrk always runs its whole
# duration, so it is stopped once the counters show every key was read.
warm_cache() { # port...
  local port pids=()
  for port; do
    WARM=1 ENTRIES=$entries BENCH_TOKEN=$token wrk -t2 -c$connections -d300s -s "$root/benchmarks/harness/wrk/cache.lua" \
      "http://127.0.0.1:$port/" > /dev/null &
    pids+=($!)
  done
  # Warm when the memory level holds every key, or as many as its limits
  # allow once every key has been read (beyond its capacity, as at
  # WAYLINE_BENCH_SCALE=10, it never holds them all), or when wrk has ended.
  for port; do
    until curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/cache/stats" | ENTRIES=$entries python3 -c '
import json, os, sys
i = json.load(sys.stdin)["instance"]
entries = int(os.environ["ENTRIES"])
read = i["memory_hits"] + i["database_hits"] + i["misses"]
sys.exit(0 if i["memory_entries"] >= min(entries, i["memory_max_entries"]) - 1 or read >= entries else 1)'; do
      kill -0 "${pids[@]}" 2>/dev/null || break
      sleep 1
    done
  done
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
}

# W1F: W1 with an attribute filter that a fifth of the drivers pass, against
# the same searches unfiltered (alternating slices), and against PostGIS KNN
# with the same jsonb condition. The attributes are set for W1F only (every
# nearby answer shows them) and cleared after it.
if want W1F; then
  say "W1F: a fifth of the drivers available, the others busy"
  psql_ -c "SELECT setseed(0.2)" -c "UPDATE locations SET metadata = jsonb_build_object(
      'status', CASE WHEN random() < 0.2 THEN 'available' ELSE 'busy' END, 'seats', 1 + floor(random() * 8)::int)
    WHERE type = 'current'" -c "ANALYZE locations" >/dev/null
  sleep 1; wait_idle "$server_pid"
  two_ways W1F "$root/benchmarks/harness/wrk/nearby.lua" wayline-unfiltered "http://127.0.0.1:$http_port/" - \
    wayline "http://127.0.0.1:$http_port/" "BENCH_FILTER=&where=status:available" "with where=status:available"
  pgbench_run W1F postgis-knn-jsonb knn_filtered.sql
  psql_ -c "UPDATE locations SET metadata = '{}' WHERE type = 'current'" >/dev/null
  sleep 1; wait_idle "$server_pid"
fi

if want W1A; then
  paired W1A "/" "$root/benchmarks/harness/wrk/nearby.lua"
fi

if want W5A; then
  warm_cache $http_port $auth_port
  ENTRIES=$entries paired W5A "/" "$root/benchmarks/harness/wrk/cache.lua"
fi

if want W5; then
warm_cache $http_port
ENTRIES=$entries alternating W5 "http://127.0.0.1:$http_port/" "$root/benchmarks/harness/wrk/cache.lua"
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/v1/cache/stats" > "$results/cache-stats.json"
# Which level answered: all memory while the keys fit, a mix beyond its capacity.
python3 - "$results/cache-stats.json" "$entries" >> "$results/results.jsonl" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))["instance"]
hits = i["memory_hits"] + i["database_hits"]
print(json.dumps({"workload": "W5", "system": "wayline", "operation": f"hits by level ({sys.argv[2]} keys, memory holds {i['memory_entries']})",
                  "note": f"{100 * i['memory_hits'] / max(hits, 1):.1f} % from memory, {100 * i['database_hits'] / max(hits, 1):.1f} % from the table"}))
PY
pgbench_run W5 seed-get_cache get_cache.sql "-D entries=$entries"
redis_run W5 redis-get $((100000 * seconds)) -r $entries GET bench:__rand_int__

say "W5 invalidation: 10,000-entry tags, and a second instance's memory"
WAYLINE_AUTH=off WAYLINE_WEBHOOK_ALLOW_NETWORKS=127.0.0.0/8 DATABASE_URL=$url WAYLINE_PORT=$second_port WAYLINE_LOG_LEVEL=warning "$wayline" serve &
second_pid=$!
wait_ready $second_port
psql_ -c "SELECT set_cache('bulk:' || t || ':' || n, '1', 3600, 'general', ARRAY['bulk-' || t])
          FROM generate_series(0, 19) t, generate_series(1, 10000) n" > /dev/null
psql_ -c "VACUUM ANALYZE cache_entries"  # as autovacuum would have by now
# Those 200,000 writes reach each instance as as many notifications, seconds
# of work on this machine; a service's tags grow over time, so the timing
# starts once both instances have applied them.
wait_idle $server_pid $second_pid
harness cache-coherence $http_port $second_port 20 >> "$results/results.jsonl"
stop_server $second_pid
fi

if want W6; then
say "W6 polyline codec: Wayline in-process suite and pypolyline"
swift package --package-path benchmarks --allow-writing-to-directory "$work" benchmark --target GeoCoreBenchmarks --filter "polyline_.*" \
  --format jmh --path "$work" --no-progress >&2
harness swift-polyline "$work/Current_run.jmh.json" >> "$results/results.jsonl"
harness polyline-baseline 2000 >> "$results/results.jsonl"
fi

if want NET; then
  # Last: it replaces the road network W3 and W4 use.
  side=${WAYLINE_BENCH_GRID:-500}
  say "NET a ${side} × ${side} street grid (synthetic OpenStreetMap): import, then the serving instance's reload"
  corners=$(harness grid-osm "$side" "$work/grid.osm")
  osmium cat "$work/grid.osm" -o "$work/grid.osm.pbf" --overwrite
  rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
  started=$(date +%s.%N)
  DATABASE_URL=$url "$wayline" import-osm "$work/grid.osm.pbf" | tee "$work/import.log" >&2
  imported=$(date +%s.%N)
  # The instance keeps serving the previous network while it loads the new
  # one: the route between the grid's far corners answers once it has.
  until curl -s "http://127.0.0.1:$http_port$corners" | grep -q '"code":"Ok"'; do
    (( $(date +%s) - ${imported%.*} < 600 )) || { echo "the grid was not served within 10 minutes of its import" >&2; exit 1; }
    sleep 0.1
  done
  served=$(date +%s.%N)
  rss_after=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
  harness grid-results "$side" "$started" "$imported" "$served" "$rss_before" "$rss_after" "$(tail -1 "$work/import.log")" \
    >> "$results/results.jsonl"
  if want W7; then table_timing "grid-${side}x${side}"; fi
fi

# What the serving instance holds after the run, for the scale curve (scale.sh).
python3 - "$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")" "$scale" "$drivers" "$entries" >> "$results/results.jsonl" <<'PY'
import json, sys
rss_kb, scale, drivers, entries = map(int, sys.argv[1:5])
print(json.dumps({"workload": "MEM", "system": "wayline", "operation": f"resident memory after the run: {rss_kb // 1024} MB",
                  "note": f"scale {scale}: {drivers:,} drivers, {entries:,} cache entries"}))
PY

say "results (also in $results)"
harness report "$results"
python3 - "$cpu_at_start" "$(cpu_times)" <<'PY' | tee "$results/steal.txt" >&2
import sys
start, end = ([int(v) for v in line.split()[1:9]] for line in sys.argv[1:3])
delta = [b - a for a, b in zip(start, end)]
print(f"CPU time stolen by the hypervisor during the run: {100 * delta[7] / sum(delta):.1f} %")
PY
