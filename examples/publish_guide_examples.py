#!/usr/bin/env python3
"""Publish the developer guide's JSON and binary examples with a provisioned device's files.

    python3 -m venv .venv && .venv/bin/pip install -r examples/requirements.txt   (or: apt-get install python3-paho-mqtt)
    java -jar target/flexconnect.jar device provision my-device-01 --out devices/my-device-01
    .venv/bin/python examples/publish_guide_examples.py --dir devices/my-device-01

Mirrors the guide's example code (JSON, gzip + base64, binary CAN points, 0xFC + gzip) with the
files the platform issues: root-CA.crt, device_key.key, device_cert.pem and device.json (device id,
token, endpoint, topics).
"""
import argparse
import base64
import gzip
import json
import os
import ssl
import struct
import time
import urllib.parse

import paho.mqtt.client as mqtt

LITTLE_ENDIAN = '<'  # Little Endian Operator
BIG_ENDIAN = '>'  # Big Endian Operator


def json_messages(device_id, token):
    data = {
        "device_id": device_id,
        "token": token,
        "tags": [{"tag1": "value1"}, {"tag2": "value2"}],
        "points": [
            {
                "timestamp": int(time.time() * 1000),
                "tags": [{"point_tag1": "point_value1"}],
                "fields": [
                    {"name": "temperature", "value": 22.5},
                    {"name": "humidity", "value": 45.0},
                ],
            }
        ],
    }
    json_data = json.dumps(data)
    compressed_data = gzip.compress(json_data.encode('utf-8'))
    b64_data = base64.b64encode(compressed_data).decode('utf-8')
    return json_data, json.dumps({"b64": b64_data})


def create_binary_message(token, can_points):
    token_bytes = token.encode('utf-8')
    message = bytearray()
    message.extend(struct.pack(BIG_ENDIAN + 'I', len(token_bytes)))
    message.extend(token_bytes)
    for point in can_points:
        readings = point['readings']
        point_length = 12  # Header size (8 + 2 + 2)
        for reading in readings:
            point_length += 5 + len(reading['data'])  # CAN ID (4) + BUS|DLC (1) + Data
        message.extend(struct.pack(LITTLE_ENDIAN + 'Q', point['timestamp']))
        message.extend(struct.pack(LITTLE_ENDIAN + 'H', len(readings)))
        message.extend(struct.pack(LITTLE_ENDIAN + 'H', point_length))
        for reading in readings:
            message.extend(struct.pack(LITTLE_ENDIAN + 'I', reading['can_id']))
            message.extend(struct.pack('B', (reading['bus'] << 5) | (reading['dlc'] & 0x1F)))
            message.extend(reading['data'])
    return bytes(message)


def binary_messages(token):
    now = int(time.time() * 1000)
    can_points = [
        {'timestamp': now, 'readings': [
            {'can_id': 0x123, 'bus': 1, 'dlc': 8, 'data': b'\x01\x02\x03\x04\x05\x06\x07\x08'},
            {'can_id': 0x456, 'bus': 1, 'dlc': 4, 'data': b'\xAA\xBB\xCC\xDD'},
        ]},
        {'timestamp': now + 100, 'readings': [
            {'can_id': 0x789, 'bus': 2, 'dlc': 6, 'data': b'\x11\x22\x33\x44\x55\x66'},
        ]},
    ]
    binary_message = create_binary_message(token, can_points)
    return binary_message, b'\xFC' + gzip.compress(binary_message)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, help="folder written by 'device provision --out'")
    parser.add_argument("--host", help="broker host (default: from the endpoint in device.json)")
    parser.add_argument("--port", type=int, help="broker port (default: from the endpoint, else 8883)")
    args = parser.parse_args()

    with open(os.path.join(args.dir, "device.json")) as f:
        device = json.load(f)
    endpoint = urllib.parse.urlparse(device["endpoint"])
    host = args.host or endpoint.hostname
    port = args.port or endpoint.port or 8883
    device_id, token = device["device_id"], device["token"]
    json_topic = f"flexconnect/{device_id}/json"
    can_topic = f"flexconnect/{device_id}/can"

    # paho-mqtt 2 asks which callback style the code uses (it uses none); 1.x has no such argument.
    api = {"callback_api_version": mqtt.CallbackAPIVersion.VERSION2} if hasattr(mqtt, "CallbackAPIVersion") else {}
    client = mqtt.Client(client_id=device_id, clean_session=True, **api)
    client.tls_set(ca_certs=os.path.join(args.dir, "root-CA.crt"),
                   certfile=os.path.join(args.dir, "device_cert.pem"),
                   keyfile=os.path.join(args.dir, "device_key.key"),
                   tls_version=ssl.PROTOCOL_TLS_CLIENT)
    client.connect(host, port)
    client.loop_start()
    plain_json, compressed_json = json_messages(device_id, token)
    plain_binary, compressed_binary = binary_messages(token)
    for topic, payload, what in [(json_topic, plain_json, "JSON"), (json_topic, compressed_json, "JSON, b64 + gzip"),
                                 (can_topic, plain_binary, "binary"), (can_topic, compressed_binary, "binary, 0xFC + gzip")]:
        info = client.publish(topic, payload, qos=1)
        info.wait_for_publish(timeout=30)
        print(f"published {what} to {topic}: {'acknowledged' if info.is_published() else 'NOT acknowledged'}")
    client.loop_stop()
    client.disconnect()


if __name__ == "__main__":
    main()
