"""The floor of an execute round trip: a kernel that evaluates nothing.

    /usr/bin/python3 null_kernel.py -f CONNECTION_FILE

It answers kernel_info, execute (every cell's result is the text "2", with busy,
execute_input, execute_result, execute_reply and idle: the messages a real kernel sends
for `1 + 1`) and shutdown, with as little work per message as Python allows: signed frames
built by hand, no Session object, no history, no evaluation. BenchmarkExecuteRoundTrip
times it beside gokist and ipykernel through the same jupyter_client code, so the time it
takes is the client's own cost of a round trip, which no kernel can go below.
"""
import datetime
import hashlib
import hmac
import json
import sys
import uuid

import zmq

config = json.load(open(sys.argv[sys.argv.index("-f") + 1]))
key = config["key"].encode()
context = zmq.Context()


def bind(kind, port):
    sock = context.socket(kind)
    sock.bind("%s://%s:%d" % (config["transport"], config["ip"], config[port]))
    return sock


shell, control = bind(zmq.ROUTER, "shell_port"), bind(zmq.ROUTER, "control_port")
iopub, stdin, heartbeat = bind(zmq.PUB, "iopub_port"), bind(zmq.ROUTER, "stdin_port"), bind(zmq.REP, "hb_port")
session = uuid.uuid4().hex


def send(sock, identities, msg_type, parent, content):
    header = json.dumps({
        "msg_id": uuid.uuid4().hex, "session": session, "username": "null", "msg_type": msg_type, "version": "5.4",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }).encode()
    frames = [header, parent, b"{}", json.dumps(content).encode()]
    signature = hmac.new(key, digestmod=hashlib.sha256)
    for frame in frames:
        signature.update(frame)
    sock.send_multipart(identities + [b"<IDS|MSG>", signature.hexdigest().encode()] + frames)


poller = zmq.Poller()
for sock in (shell, control, heartbeat):
    poller.register(sock, zmq.POLLIN)
count = 0
while True:
    for sock, _ in poller.poll():
        if sock is heartbeat:
            heartbeat.send(heartbeat.recv())
            continue
        parts = sock.recv_multipart()
        delimiter = parts.index(b"<IDS|MSG>")
        identities, parent = parts[:delimiter], parts[delimiter + 2]
        msg_type = json.loads(parent)["msg_type"]
        send(iopub, [b"status"], "status", parent, {"execution_state": "busy"})
        if msg_type == "kernel_info_request":
            send(sock, identities, "kernel_info_reply", parent, {
                "status": "ok", "protocol_version": "5.4", "implementation": "null", "implementation_version": "0",
                "language_info": {"name": "null", "version": "0", "file_extension": ".txt"}, "banner": "null"})
        elif msg_type == "execute_request":
            count += 1
            code = json.loads(parts[delimiter + 5])["code"]
            send(iopub, [b"execute_input"], "execute_input", parent, {"code": code, "execution_count": count})
            send(iopub, [b"execute_result"], "execute_result", parent,
                 {"data": {"text/plain": "2"}, "metadata": {}, "execution_count": count})
            send(sock, identities, "execute_reply", parent,
                 {"status": "ok", "execution_count": count, "user_expressions": {}, "payload": []})
        elif msg_type == "shutdown_request":
            send(sock, identities, "shutdown_reply", parent, {"status": "ok", "restart": False})
            send(iopub, [b"status"], "status", parent, {"execution_state": "idle"})
            sys.exit(0)
        else:
            send(sock, identities, msg_type.replace("_request", "_reply"), parent,
                 {"status": "error", "ename": "NotImplemented", "evalue": msg_type, "traceback": []})
        send(iopub, [b"status"], "status", parent, {"execution_state": "idle"})
