# gokist's bridge to a dask.distributed cluster. The kernel runs this with python3 -c,
# one process per cluster client, and speaks to it over stdin/stdout in frames (a
# 4-byte big-endian length, then the bytes): a message is a JSON header frame followed
# by header["nbin"] binary frames. Requests (op): local, connect, info, run, cancel,
# close. Everything dask does (scheduling, retries when a worker dies, work stealing)
# stays dask's; a task runs in the gokist binary this bridge shipped to every worker
# (a worker plugin, content-addressed by its sha256, which also keeps long-lived task
# servers of it) on one chunk description.
import json
import os
import struct
import sys
import threading
import time
import traceback

OUT = sys.stdout.buffer
IN = sys.stdin.buffer
sys.stdout = sys.stderr  # nothing dask prints may reach the protocol
LOCK = threading.Lock()


def send(header, *bins):
    header["nbin"] = len(bins)
    frames = [json.dumps(header).encode()] + [bytes(b) for b in bins]
    with LOCK:
        for f in frames:
            OUT.write(struct.pack(">I", len(f)))
            OUT.write(f)
        OUT.flush()


def read_frame():
    head = IN.read(4)
    if len(head) < 4:
        return None
    (n,) = struct.unpack(">I", head)
    data = IN.read(n)
    if len(data) < n:
        return None
    return data


def recv():
    f = read_frame()
    if f is None:
        return None, None
    header = json.loads(f)
    bins = []
    for _ in range(header.get("nbin", 0)):
        b = read_frame()
        if b is None:
            return None, None
        bins.append(b)
    return header, bins


def frame(*parts):
    return b"".join(struct.pack(">I", len(b)) + b for b in parts)


# The first frame a long-lived gokist task server reads (runtime.ServeMagic).
SERVE_MAGIC = b"gokist-serve-tasks-1"


def run_task(task_bytes, binary_sha, process_per_task, pass_bytes):
    """Runs on a worker: one chunk task in a long-lived gokist task server that the
    worker's plugin keeps (or, for benchmarks, in a process of its own)."""
    from distributed import get_worker

    worker = get_worker()
    plugin = worker.plugins.get("gokist-binary-" + binary_sha)
    if plugin is None:
        raise RuntimeError("the worker %s has no gokist plugin %s" % (worker.address, binary_sha))
    start = time.time()
    out = plugin.run_once(pass_bytes, task_bytes) if process_per_task else plugin.run(pass_bytes, task_bytes)
    return out, {"worker": worker.address, "pid": os.getpid(), "start": start, "stop": time.time()}


def binary_plugin(data, sha):
    import subprocess
    import tempfile
    from distributed.diagnostics.plugin import WorkerPlugin

    class ServerDied(Exception):
        pass

    class GokistBinary(WorkerPlugin):
        """Writes the kernel's gokist binary into each worker's directory once, and keeps
        long-lived task servers of it (one per task running at once), started on demand,
        replaced when one dies, ended with the worker or when the plugin is replaced."""

        def __init__(self, data, sha):
            self.data, self.sha = data, sha

        def setup(self, worker):
            self.path = os.path.join(worker.local_directory, "gokist-" + self.sha)
            self.address = worker.address
            if not os.path.exists(self.path):
                tmp = "%s.%d.tmp" % (self.path, os.getpid())
                with open(tmp, "wb") as f:
                    f.write(self.data)
                os.chmod(tmp, 0o755)
                os.replace(tmp, self.path)
            self.lock = threading.Lock()
            self.idle = []
            self.closed = False

        def teardown(self, worker):
            with self.lock:
                self.closed = True
                idle, self.idle = self.idle, []
            for p in idle:  # a busy server ends when its task returns it
                self.end(p)

        def start(self):
            err = tempfile.TemporaryFile()
            env = dict(os.environ, GOKIST_CLUSTER_TASK="1")
            p = subprocess.Popen([self.path, "task"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=err, env=env)
            p.errfile = err
            p.stdin.write(frame(SERVE_MAGIC))
            return p

        def end(self, p):
            try:
                p.stdin.close()  # the server exits at the end of its input
                p.wait(timeout=10)
            except Exception:
                p.kill()
                p.wait()
            p.stdout.close()
            p.errfile.close()

        def ask(self, p, request):
            try:
                p.stdin.write(request)
                p.stdin.flush()
                head = p.stdout.read(4)
                if len(head) == 4:
                    (n,) = struct.unpack(">I", head)
                    out = p.stdout.read(n)
                    if len(out) == n:
                        return out
            except OSError:
                pass
            status = p.wait()
            p.errfile.seek(0)
            tail = p.errfile.read().decode(errors="replace")[-2000:]
            p.stdout.close()
            p.errfile.close()
            raise ServerDied("the gokist task server on worker %s exited with status %d: %s" % (
                self.address, status, tail))

        def run_once(self, pass_bytes, task_bytes):
            """Runs one task in a process of its own."""
            env = dict(os.environ, GOKIST_CLUSTER_TASK="1")
            p = subprocess.run([self.path, "task"], input=frame(pass_bytes, task_bytes), capture_output=True, env=env)
            if p.returncode != 0:
                raise RuntimeError("the gokist task on worker %s exited with status %d: %s" % (
                    self.address, p.returncode, p.stderr.decode(errors="replace")[-2000:]))
            return p.stdout

        def run(self, pass_bytes, task_bytes):
            """Runs one task on an idle server, or a new one; a server that dies is
            replaced, and its task tried once more on the new one."""
            request = frame(pass_bytes, task_bytes)
            for attempt in (0, 1):
                with self.lock:
                    p = self.idle.pop() if self.idle else None
                if p is None or p.poll() is not None:
                    p = self.start()
                try:
                    out = self.ask(p, request)
                except ServerDied as e:
                    if attempt == 1:
                        raise RuntimeError(str(e))
                    continue
                with self.lock:
                    if not self.closed:
                        self.idle.append(p)
                        return out
                self.end(p)
                return out

    return GokistBinary(data, sha)


class Bridge:
    def __init__(self):
        self.client = None
        self.cluster = None
        self.address = ""
        self.sha = None
        self.process_per_task = False
        self.runs = {}  # id -> list of futures
        self.cancelled = set()

    def info(self):
        si = self.client.scheduler_info()
        try:  # the scheduler does not know its workers' process ids: ask them
            pids = self.client.run(os.getpid, wait=True)
        except Exception:
            pids = {}
        workers = []
        for addr, w in sorted(si.get("workers", {}).items()):
            workers.append({"address": addr, "name": str(w.get("name", "")), "threads": w.get("nthreads", 0),
                            "memory": w.get("memory_limit", 0) or 0, "pid": pids.get(addr, 0)})
        return {"scheduler": si.get("address", self.address), "workers": workers}

    def connect(self, h):
        from distributed import Client
        timeout = h.get("timeout", 10)
        if h.get("scheduler_file"):
            self.client = Client(scheduler_file=h["scheduler_file"], timeout=timeout, set_as_default=False)
        else:
            self.client = Client(h["address"], timeout=timeout, set_as_default=False)
        self.address = self.client.scheduler.address

    def local(self, h):
        from distributed import Client, LocalCluster
        self.cluster = LocalCluster(n_workers=h["n_workers"], threads_per_worker=h["threads_per_worker"],
                                    processes=True, host="127.0.0.1", dashboard_address=None,
                                    memory_limit=h.get("memory_limit") or "auto")
        self.client = Client(self.cluster, set_as_default=False)
        self.address = self.cluster.scheduler_address

    def ship(self, h):
        with open(h["binary"], "rb") as f:
            data = f.read()
        self.sha = h["sha"]
        self.process_per_task = bool(h.get("process_per_task"))
        self.client.register_worker_plugin(binary_plugin(data, self.sha), name="gokist-binary-" + self.sha)

    def run(self, h, bins):
        rid = h["id"]
        self.runs[rid] = []
        threading.Thread(target=self.collect, args=(rid, h["label"], bins), daemon=True).start()

    def collect(self, rid, label, bins):
        """Submits a run's tasks and sends each result as it comes, until all came, one
        failed, or the run was cancelled; then "end"."""
        from distributed import as_completed
        stop = threading.Event()
        threading.Thread(target=self.watch, args=(rid, stop), daemon=True).start()
        futures = []
        try:
            pass_future = self.client.scatter(bins[0], hash=False, timeout=60)  # a key per run: a cancelled run must not take the next one's data
            # One map rather than a submit per task: the function is pickled once.
            futures = self.client.map(run_task, list(bins[1:]), pure=False,
                                      key=["gokist-%s-%d-%d" % (label, rid, i) for i in range(len(bins) - 1)],
                                      binary_sha=self.sha, process_per_task=self.process_per_task,
                                      pass_bytes=pass_future)
            index = {f.key: i for i, f in enumerate(futures)}
            self.runs[rid] = futures
            if rid in self.cancelled:
                return
            for fut in as_completed(futures, loop=self.client.loop):
                if rid in self.cancelled:
                    break
                i = index[fut.key]
                try:
                    out, meta = fut.result()
                except Exception as e:
                    if rid not in self.cancelled:
                        send({"op": "failed", "id": rid, "i": i, "error": "%s: %s" % (type(e).__name__, e)})
                    break
                send(dict(meta, op="result", id=rid, i=i), out)
                fut.release()
        except Exception as e:
            if rid not in self.cancelled:
                send({"op": "failed", "id": rid, "i": 0, "error": "the bridge failed: %s: %s" % (type(e).__name__, e),
                      "trace": traceback.format_exc()})
        finally:
            stop.set()
            # Only the futures not finished: cancelling costs a scheduler round trip of
            # about a second even when there is nothing left to stop.
            left = [f for f in futures if not f.done()]
            try:
                if left:
                    self.client.cancel(left)
            except Exception:
                pass
            self.runs.pop(rid, None)
            send({"op": "end", "id": rid})

    def watch(self, rid, stop):
        """Fails a run whose scheduler went away, rather than waiting for it forever:
        the client reconnects for a while, futures never finish meanwhile."""
        away = 0
        while not stop.wait(0.25):
            away = 0 if self.client.status == "running" else away + 1
            if away >= 8 and rid in self.runs and rid not in self.cancelled:
                self.cancelled.add(rid)
                send({"op": "failed", "id": rid, "i": -1,
                      "error": "lost the connection to the dask scheduler at %s" % self.address})
                stop.set()
                try:
                    self.client.cancel(self.runs.get(rid, []))
                except Exception:
                    pass
                return

    def cancel(self, h):
        rid = h["id"]
        self.cancelled.add(rid)
        futures = self.runs.get(rid)
        if futures:  # cancelling waits for the scheduler, which may be gone
            threading.Thread(target=self.client.cancel, args=(futures,), daemon=True).start()

    def close(self):
        if self.client is not None:
            try:
                self.client.close(timeout=5)
            except Exception:
                pass
        if self.cluster is not None:
            try:
                self.cluster.close(timeout=20)
            except Exception:
                pass


def main():
    try:
        import distributed  # noqa: F401
    except ImportError as e:
        send({"op": "error", "kind": "import", "error": "No module named distributed: %s (python: %s)" % (e, sys.executable)})
        return
    b = Bridge()
    try:
        while True:
            h, bins = recv()
            if h is None or h["op"] == "close":
                break
            try:
                op = h["op"]
                if op in ("connect", "local"):
                    getattr(b, op)(h)
                    if h.get("binary"):
                        b.ship(h)
                    send({"op": "ok", "info": b.info()})
                elif op == "info":
                    send({"op": "ok", "info": b.info()})
                elif op == "run":
                    b.run(h, bins)
                elif op == "cancel":
                    b.cancel(h)
                else:
                    send({"op": "error", "error": "unknown request %r" % op})
            except Exception as e:
                send({"op": "error", "error": "%s: %s" % (type(e).__name__, e), "trace": traceback.format_exc()})
    finally:
        b.close()
        send({"op": "closed"})


main()
