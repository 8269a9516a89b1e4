#!/usr/bin/env python3
"""Watch devices' telemetry live from Flexconnect's WebSocket stream, across server restarts.

    python3 -m venv .venv && .venv/bin/pip install -r examples/requirements.txt   (or: apt-get install python3-websockets)
    .venv/bin/python examples/watch_live.py --key "$KEY" demo-0001 [--signals 'EngineData.*'] [--since 2021-06-01T00:00:00Z]

Prints one line per point as it is committed; with --since, first what storage holds since then.
When the server goes away (restart, network), it says so on stderr, reconnects with backoff
(0.5 s doubling to 30 s) and resumes each device from the newest device time it printed (the
stream's `since`), skipping points it already printed, so nothing committed meanwhile is lost and
nothing is printed twice. Two limits of the stream itself: a device's points that arrive late with a
device time older than the resume point are not replayed, and a replay holds at most
`http.maxRowsPerResponse` points per device. A refused key ends it with exit code 1.
"""
import argparse
import asyncio
import collections
import json
import sys
import time
import urllib.parse

import websockets

MIN_BACKOFF_S = 0.5
MAX_BACKOFF_S = 30.0
SEEN_KEYS = 100_000  # (device, signal, time) of recent points, to skip those a replay repeats


class Watch:
    """What was printed so far: the newest device time per device and the recent point keys."""

    def __init__(self, args):
        self.args = args
        self.newest = {}  # device -> newest device time printed (epoch ms)
        self.seen = collections.OrderedDict()
        self.started_ms = int(time.time() * 1000)

    def subscriptions(self, reconnecting):
        """One subscribe message per device; after a reconnect each resumes where its output stopped."""
        messages = []
        for device in self.args.devices:
            request = {"op": "subscribe", "devices": [device]}
            if self.args.signals:
                request["signals"] = self.args.signals
            since = self.resume_point(device) if reconnecting else self.args.since
            if since is not None:
                request["since"] = since
            messages.append(request)
        return messages

    def resume_point(self, device):
        if device in self.newest:
            return self.newest[device]  # replays it too; seen keys drop the repeats
        # Nothing of this device printed yet: from --since, or else from when the watch began.
        return self.args.since or self.started_ms

    def printed_before(self, device, point):
        key = (device, point["signal"], point["timestamp"])
        if key in self.seen:
            return True
        self.seen[key] = None
        if len(self.seen) > SEEN_KEYS:
            self.seen.popitem(last=False)
        self.newest[device] = max(self.newest.get(device, point["timestamp"]), point["timestamp"])
        return False

    def show(self, message):
        kind = message.get("type")
        if kind == "points":
            device = message["device_id"]
            for p in message["points"]:
                if self.printed_before(device, p):
                    continue
                label = f" ({p['label']})" if "label" in p else ""
                flags = " [replay]" if message.get("replay") else ""
                flags += " [late]" if p.get("late") else ""
                print(f"{p['timestamp']} {device} {p['signal']} = {p['value']}{label}{flags}", flush=True)
        elif kind == "lagged":
            print(f"-- missed {message['missed']} points (this client was too slow)", flush=True)
        elif kind == "error":
            print(f"-- error: {message['detail']}", flush=True)
        elif kind == "subscribed":
            pass
        else:
            print(f"-- {kind}", flush=True)


def refused(error):
    """The server answered the handshake with 401/403: retrying the same key will not help."""
    status = getattr(getattr(error, "response", None), "status_code", None) or getattr(error, "status_code", None)
    return status in (401, 403)


async def watch(args):
    query = "?access_token=" + urllib.parse.quote(args.key) if args.key else ""
    url = f"ws://{args.host}:{args.port}/api/v1/stream{query}"
    state = Watch(args)
    backoff = MIN_BACKOFF_S
    connected_before = False
    while True:
        try:
            async with websockets.connect(url, max_size=None) as ws:
                requests = state.subscriptions(reconnecting=connected_before)
                if connected_before:
                    print("-- reconnected; resuming " + ", ".join(f"{r['devices'][0]} from {r.get('since')}"
                                                                 for r in requests), file=sys.stderr, flush=True)
                connected_before = True
                backoff = MIN_BACKOFF_S
                for request in requests:
                    await ws.send(json.dumps(request))
                async for text in ws:
                    state.show(json.loads(text))
            reason = "the server closed the stream"
        except websockets.exceptions.WebSocketException as e:
            if refused(e):
                print(f"-- the server refused the key: {e}", file=sys.stderr, flush=True)
                return 1
            reason = f"stream lost: {e}"
        except (OSError, asyncio.TimeoutError) as e:
            reason = f"cannot reach {args.host}:{args.port}: {getattr(e, 'strerror', None) or e}"
        print(f"-- {reason}; reconnecting in {backoff:.1f} s", file=sys.stderr, flush=True)
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, MAX_BACKOFF_S)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("devices", nargs="+", help="device ids, or '*' for all of the key's tenant (no replay)")
    parser.add_argument("--key", help="API key (Authorization: Bearer …), sent as access_token")
    parser.add_argument("--signals", nargs="*", help="signal globs, e.g. 'EngineData.*'")
    parser.add_argument("--since", help="replay from this time first (epoch ms, ISO-8601, now-1h, -15m)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    try:
        sys.exit(asyncio.run(watch(parser.parse_args())))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
