#!/usr/bin/env bash
# Starts moto_server (a real AWS API server) on a free loopback port, installing it when
# missing. Source it: it exports STORYLOOM_MOTO_URL and stops the server when the calling
# shell exits.
python3 -c 'import moto.server' 2>/dev/null \
  || python3 -m pip install --quiet 'moto[server]' \
  || { echo "cannot install moto[server]" >&2; return 1; }
STORYLOOM_MOTO_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
STORYLOOM_MOTO_LOG="$(mktemp -t moto.XXXXXX.log)"
python3 -m moto.server -H 127.0.0.1 -p "$STORYLOOM_MOTO_PORT" >"$STORYLOOM_MOTO_LOG" 2>&1 &
STORYLOOM_MOTO_PID=$!
trap 'kill "$STORYLOOM_MOTO_PID" 2>/dev/null || true' EXIT
export STORYLOOM_MOTO_URL="http://127.0.0.1:$STORYLOOM_MOTO_PORT"
for _ in $(seq 1 100); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('$STORYLOOM_MOTO_URL/moto-api/', timeout=1)" 2>/dev/null; then
    echo "moto_server ready at $STORYLOOM_MOTO_URL" >&2
    return 0
  fi
  kill -0 "$STORYLOOM_MOTO_PID" 2>/dev/null || { cat "$STORYLOOM_MOTO_LOG" >&2; echo "moto_server died" >&2; return 1; }
  sleep 0.2
done
echo "moto_server did not start" >&2
return 1
