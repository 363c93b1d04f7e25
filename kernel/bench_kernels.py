"""Times Jupyter kernels through jupyter_client, the same way for each (gokist, ipykernel, the null kernel).

    /usr/bin/python3 bench_kernels.py KERNEL[,KERNEL...] startup|execute|plot N

prints one JSON object {"seconds": {KERNEL: median seconds per operation}, "n": N}:
  startup  process start to the first kernel_info_reply (a fresh process each time)
  execute  execute_request of `1 + 1` to its idle status
  plot     execute_request of a cell drawing a 1-D line plot to its idle status, with the
           figure delivered as image/png (ipykernel: matplotlib inline)

All kernels are measured in this one process by the same client code, with the same
number of warm-up rounds, in alternating blocks of rounds (A then B, A then B, ...) so
that changing load from other processes on the machine falls on both alike. The median is reported: a
round trip of a millisecond is easily doubled by one scheduler hiccup, and the mean
would mostly measure those.
"""

import json
import statistics
import os
import subprocess
import sys
import tempfile
import time

import zmq
import zmq.asyncio
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from jupyter_client.kernelspec import KernelSpecManager

names, what, n = sys.argv[1].split(","), sys.argv[2], int(sys.argv[3])
# Warm-up rounds per kernel before timing: the same for every kernel.
WARMUP = {"startup": 1, "execute": 20, "plot": 2}[what]
# Timed rounds per block (execute and plot).
BLOCK = 50
# The client connects before the kernel has bound its ports; zmq's default 100 ms
# reconnect interval would then dominate the start-up time of any kernel, so both kernels
# are measured with a 2 ms one.
CONTEXT = zmq.asyncio.Context()
CONTEXT.setsockopt(zmq.RECONNECT_IVL, 2)
SPECS = {name: KernelSpecManager().get_kernel_spec(name) for name in names}

PLOT = {
    True: ("import matplotlib.pyplot as plt\n%matplotlib inline",
           "plt.plot([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]); plt.show()"),
    False: ("", "plt.plot([0, 1, 4, 9, 16, 25, 36, 49, 64, 81])"),
}


def start(tmp, name):
    spec = SPECS[name]
    conn = os.path.join(tmp, "kernel-%d.json" % time.monotonic_ns())
    write_connection_file(conn, key=os.urandom(16).hex().encode())
    argv = [a.replace("{connection_file}", conn) for a in spec.argv]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kc = BlockingKernelClient(connection_file=conn, context=CONTEXT)
    kc.load_connection_file()
    kc.start_channels()
    msg_id = kc.kernel_info()
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    return proc, kc, time.perf_counter() - t0


def stop(proc, kc):
    kc.shutdown()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    kc.stop_channels()


def run_cell(name, kc, code):
    """Seconds from execute_request to its idle status; checks the cell succeeded."""
    outputs = []
    t0 = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=120, output_hook=outputs.append)
    dt = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        raise SystemExit("%s: %r failed: %s" % (name, code, reply["content"]))
    return dt, outputs


def cell_for(name, kc):
    """Readies kc for the timed cell (the plot setup and a checked first run) and returns its code."""
    if what == "execute":
        return "1 + 1"
    setup, code = PLOT[SPECS[name].language == "python"]
    if setup:
        run_cell(name, kc, setup)
    _, outs = run_cell(name, kc, code)  # checks a PNG arrives
    if not any("image/png" in m["content"].get("data", {}) for m in outs if m["msg_type"] == "display_data"):
        raise SystemExit("%s: the plot cell sent no image/png" % name)
    return code


with tempfile.TemporaryDirectory() as tmp:
    times = {name: [] for name in names}
    if what == "startup":
        for i in range(WARMUP + n):
            for name in names:
                proc, kc, dt = start(tmp, name)
                if i >= WARMUP:
                    times[name].append(dt)
                stop(proc, kc)
    else:
        kernels = {}
        try:
            for name in names:
                proc, kc, _ = start(tmp, name)
                kc.wait_for_ready(timeout=60)
                kernels[name] = (proc, kc, cell_for(name, kc))
            for name in names:
                _, kc, code = kernels[name]
                for _ in range(WARMUP):
                    run_cell(name, kc, code)
            # Blocks of rounds, kernel after kernel; each block starts with two untimed
            # rounds so that work a kernel does after going idle (ipykernel's history
            # thread, its garbage collection) is not billed to the other's first round.
            for first in range(0, n, BLOCK):
                for name in names:
                    _, kc, code = kernels[name]
                    for _ in range(2):
                        run_cell(name, kc, code)
                    for _ in range(min(BLOCK, n - first)):
                        times[name].append(run_cell(name, kc, code)[0])
        finally:
            for proc, kc, _ in kernels.values():
                stop(proc, kc)
    print(json.dumps({"seconds": {name: statistics.median(t) for name, t in times.items()}, "n": n}))
