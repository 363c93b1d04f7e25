"""Times a Jupyter kernel through jupyter_client, the same way for gokist and ipykernel.

    /usr/bin/python3 bench_kernels.py KERNEL_NAME startup|execute|plot N

prints one JSON object {"seconds": mean seconds per operation, "n": N}:
  startup  process start to the first kernel_info_reply (a fresh process each time)
  execute  execute_request of `1 + 1` to its idle status
  plot     execute_request of a cell drawing a 1-D line plot to its idle status, with the
           figure delivered as image/png (ipykernel: matplotlib inline)
"""

import json
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

name, what, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
# The client connects before the kernel has bound its ports; zmq's default 100 ms
# reconnect interval would then dominate the start-up time of any kernel, so both kernels
# are measured with a 2 ms one.
CONTEXT = zmq.asyncio.Context()
CONTEXT.setsockopt(zmq.RECONNECT_IVL, 2)
spec = KernelSpecManager().get_kernel_spec(name)
python = spec.language == "python"

PLOT = {
    True: ("import matplotlib.pyplot as plt\n%matplotlib inline",
           "plt.plot([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]); plt.show()"),
    False: ("", "plt.plot([0, 1, 4, 9, 16, 25, 36, 49, 64, 81])"),
}


def start(tmp):
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


def run_cell(kc, code):
    """Seconds from execute_request to its idle status; checks the cell succeeded."""
    outputs = []
    t0 = time.perf_counter()
    reply = kc.execute_interactive(code, timeout=120, output_hook=outputs.append)
    dt = time.perf_counter() - t0
    if reply["content"]["status"] != "ok":
        raise SystemExit("%s: %r failed: %s" % (name, code, reply["content"]))
    return dt, outputs


with tempfile.TemporaryDirectory() as tmp:
    total = 0.0
    if what == "startup":
        for _ in range(n):
            proc, kc, dt = start(tmp)
            total += dt
            stop(proc, kc)
    else:
        proc, kc, _ = start(tmp)
        kc.wait_for_ready(timeout=60)
        if what == "execute":
            code = "1 + 1"
        else:
            setup, code = PLOT[python]
            if setup:
                run_cell(kc, setup)
            _, outs = run_cell(kc, code)  # warm-up, and check a PNG arrives
            if not any("image/png" in m["content"].get("data", {}) for m in outs if m["msg_type"] == "display_data"):
                raise SystemExit("%s: the plot cell sent no image/png" % name)
        run_cell(kc, code)
        for _ in range(n):
            total += run_cell(kc, code)[0]
        stop(proc, kc)
    print(json.dumps({"seconds": total / n, "n": n}))
