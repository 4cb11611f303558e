#!/bin/sh
# `npm run bench:wrk`: wrk against the app (as `npm start` runs it) and nginx serving the very same
# bytes, side by side in one run, at concurrency 8; then a 30 s soak at concurrency 64 with RSS.
# Needs wrk and nginx on PATH. Ports 8860-8862 unless BENCH_PORT_BASE is set. Data: as `npm start`
# (DATA_DIR / DATABASE_URL), by default the sample on a PGlite of its own under .data/bench-wrk.
set -eu
cd "$(dirname "$0")/.."
BASE=${BENCH_PORT_BASE:-8860}
APP=$BASE; NGX=$((BASE + 1))
DUR=${BENCH_DURATION:-8s}
WORK=$(mktemp -d)
trap 'kill $APP_PID 2>/dev/null || true; [ -f "$WORK/nginx.pid" ] && kill $(cat "$WORK/nginx.pid") 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$APP LOG_FORMAT=silent PGLITE_DIR=${PGLITE_DIR:-.data/bench-wrk} \
  RATE_LIMIT_PER_MIN=100000000 RATE_LIMIT_EXPORTS_PER_MIN=100000000 \
  node_modules/.bin/node src/node/main.ts 2>"$WORK/app.log" &
APP_PID=$!
i=0; until curl -sf -o /dev/null "http://127.0.0.1:$APP/ready"; do i=$((i+1)); [ $i -gt 600 ] && { cat "$WORK/app.log"; exit 1; }; sleep 1; done
# The static baseline: each endpoint's own bytes.
mkdir -p "$WORK/root"
ENDPOINTS="profile=/v1/leps/E37000015/profile compare=/v1/compare?areas=E37000015,E37000051&indicators=enterprises,stem-employment-density ranking=/v1/indicators/enterprise-birth-rate/ranking?year=2020"
for e in $ENDPOINTS; do curl -sf "http://127.0.0.1:$APP${e#*=}" > "$WORK/root/${e%%=*}.json"; done
# Postcodes: every key the app has (one request each at random), and one postcode's bytes for nginx.
PC_KEYS=$WORK/keys.txt; export PC_KEYS
node_modules/.bin/node bench/postcode-keys.ts > "$PC_KEYS"
curl -sf "http://127.0.0.1:$APP/v1/postcodes/$(head -1 "$PC_KEYS")" > "$WORK/root/postcode.json"
cat > "$WORK/nginx.conf" <<NGX
worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/nginx.err;
events { worker_connections 1024; }
http { access_log off; default_type application/json; server { listen 127.0.0.1:$NGX; root $WORK/root; } }
NGX
nginx -c "$WORK/nginx.conf" -p "$WORK"
cat > "$WORK/postcodes.lua" <<'LUA'
local keys = {}
for line in io.lines(os.getenv("PC_KEYS")) do keys[#keys + 1] = line end
math.randomseed(os.time())
request = function() return wrk.format("GET", "/v1/postcodes/" .. keys[math.random(#keys)]) end
LUA
rate() { wrk -t2 -c"$2" -d"$DUR" --latency ${3:-} "$1" | awk '/Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx|Socket errors/ {err=err" "$0} END {printf "%s %s %s%s\n", r, p50, p99, err}'; }
printf '%-10s %12s %12s %8s   %s\n' endpoint app_req/s nginx_req/s ratio 'app p50/p99'
for e in $ENDPOINTS; do
  name=${e%%=*}; path=${e#*=}
  a=$(rate "http://127.0.0.1:$APP$path" 8); n=$(rate "http://127.0.0.1:$NGX/$name.json" 8)
  printf '%-10s %12s %12s %8s   %s\n' "$name" "${a%% *}" "${n%% *}" "$(echo "${a%% *} ${n%% *}" | awk '{printf "%.2f", $1/$2}')" "$(echo "$a" | cut -d' ' -f2-)"
done
a=$(rate "http://127.0.0.1:$APP" 8 "-s $WORK/postcodes.lua"); n=$(rate "http://127.0.0.1:$NGX/postcode.json" 8)
printf '%-10s %12s %12s %8s   %s\n' postcodes "${a%% *}" "${n%% *}" "$(echo "${a%% *} ${n%% *}" | awk '{printf "%.2f", $1/$2}')" "$(echo "$a" | cut -d' ' -f2-)"
rss() { awk '/VmRSS/ {print $2/1024 " MiB"}' /proc/$APP_PID/status; }
echo "soak: c=64 for 30 s over profile (RSS before $(rss))"
wrk -t2 -c64 -d30s --latency "http://127.0.0.1:$APP/v1/leps/E37000015/profile" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors|requests in'
echo "RSS after $(rss)"
