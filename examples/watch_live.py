#!/usr/bin/env python3
"""Watch a device's telemetry live from Flexconnect's WebSocket stream.

    apt-get install python3-websockets
    python3 examples/watch_live.py --key "$KEY" demo-0001 [--signals 'EngineData.*'] [--since 2021-06-01T00:00:00Z]

Prints one line per point as it is committed; with --since, first what storage holds since then.
"""
import argparse
import asyncio
import json
import urllib.parse

import websockets


async def watch(args):
    query = "?access_token=" + urllib.parse.quote(args.key) if args.key else ""
    async with websockets.connect(f"ws://{args.host}:{args.port}/api/v1/stream{query}", max_size=None) as ws:
        request = {"op": "subscribe", "devices": args.devices}
        if args.signals:
            request["signals"] = args.signals
        if args.since:
            request["since"] = args.since
        await ws.send(json.dumps(request))
        async for text in ws:
            message = json.loads(text)
            kind = message.get("type")
            if kind == "points":
                for p in message["points"]:
                    label = f" ({p['label']})" if "label" in p else ""
                    flags = " [replay]" if message.get("replay") else ""
                    flags += " [late]" if p.get("late") else ""
                    print(f"{p['timestamp']} {message['device_id']} {p['signal']} = {p['value']}{label}{flags}")
            elif kind == "lagged":
                print(f"-- missed {message['missed']} points (this client was too slow)")
            elif kind == "error":
                print(f"-- error: {message['detail']}")
            else:
                print(f"-- {kind}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("devices", nargs="+", help="device ids, or '*' for all of the key's tenant")
    parser.add_argument("--key", help="API key (Authorization: Bearer …), sent as access_token")
    parser.add_argument("--signals", nargs="*", help="signal globs, e.g. 'EngineData.*'")
    parser.add_argument("--since", help="replay from this time (epoch ms or ISO-8601) first")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    try:
        asyncio.run(watch(parser.parse_args()))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
