#!/usr/bin/env python3
"""Login-storm benchmark for issue 11, item 1 (not a test, not run by CI).

Starts the release build of `regiohub demo` on loopback with a fresh data directory, then
fires bursts of simultaneous wrong-password `POST /login` (each client first fetches /login
for its own CSRF cookie and token, and uses an address without an account) while another
process keeps requesting `/` and `/hubs/polch` and records their latencies. The server's
VmRSS and VmHWM are sampled from /proc every 100 ms. Prints status-code counts per burst,
peak and idle RSS, and p50/p99 of the other pages before and during the storm, then stops
the server.

Without --forwarded every client is 127.0.0.1 and the per-address login throttle answers
most of them 429 before any hash is computed. With --forwarded the server is started with
REGIOHUB_TRUST_FORWARDED_FOR=true and every client sends its own X-Forwarded-For address,
so the throttle lets them through and the argon2 pool and its queue really carry the storm.

Python 3 standard library only. Every loop is bounded in count and in time.

    cargo build --release --bin regiohub
    python3 bench/login_storm.py              # all from 127.0.0.1
    python3 bench/login_storm.py --forwarded  # 200 distinct forwarded client addresses
"""

import argparse
import http.client
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter

HOST = "127.0.0.1"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def proc_status(pid):
    """(VmRSS kB, VmHWM kB, threads), or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return (int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0]),
                int(fields["Threads"].split()[0]))
    except (OSError, KeyError, ValueError):
        return None


def request(port, method, path, body=None, headers=None, timeout=120.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.getheaders(), data
    finally:
        conn.close()


def cookies_of(headers):
    jar = []
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.append(value.split(";", 1)[0])
    return "; ".join(jar)


class RssSampler(threading.Thread):
    def __init__(self, pid, period=0.1, max_seconds=900):
        super().__init__(daemon=True)
        self.pid, self.period, self.max_seconds = pid, period, max_seconds
        self.samples = []  # (t, rss_kb, hwm_kb, threads)
        self.stop = threading.Event()

    def run(self):
        start = time.monotonic()
        while not self.stop.is_set() and time.monotonic() - start < self.max_seconds:
            s = proc_status(self.pid)
            if s is None:
                break
            self.samples.append((time.monotonic(), *s))
            self.stop.wait(self.period)

    def peak_rss_kb(self):
        return max((s[1] for s in self.samples), default=0)

    def peak_threads(self):
        return max((s[3] for s in self.samples), default=0)


class PageProber(threading.Thread):
    """Requests / and /hubs/polch in turn, one at a time, and records each latency."""

    PATHS = ("/", "/hubs/polch")

    def __init__(self, port, max_requests=20000, max_seconds=600):
        super().__init__(daemon=True)
        self.port, self.max_requests, self.max_seconds = port, max_requests, max_seconds
        self.latencies = {p: [] for p in self.PATHS}
        self.statuses = Counter()
        self.stop = threading.Event()

    def run(self):
        start = time.monotonic()
        n = 0
        while not self.stop.is_set() and n < self.max_requests and time.monotonic() - start < self.max_seconds:
            path = self.PATHS[n % len(self.PATHS)]
            started = time.monotonic()
            t0 = time.perf_counter()
            try:
                status, _, _ = request(self.port, "GET", path, timeout=30)
            except OSError as e:
                status = type(e).__name__
            self.latencies[path].append((started, (time.perf_counter() - t0) * 1000))
            self.statuses[status] += 1
            n += 1
            self.stop.wait(0.01)


class ProberProcess:
    """A PageProber in a process of its own, so that its latencies are the server's and not
    the wait for this interpreter's lock while 200 client threads run here. CLOCK_MONOTONIC is
    shared by all processes, so its start times compare with the bursts' windows."""

    def __init__(self, port):
        self.port = port
        self.stop = multiprocessing.Event()
        self.results = multiprocessing.Queue()
        self.process = multiprocessing.Process(target=self._run, daemon=True)
        self.latencies, self.statuses = {}, Counter()

    def _run(self):
        prober = PageProber(self.port)
        prober.stop = self.stop
        prober.run()
        self.results.put((prober.latencies, dict(prober.statuses)))

    def start(self):
        self.process.start()

    def finish(self, timeout=35):
        self.stop.set()
        self.latencies, statuses = self.results.get(timeout=timeout)
        self.statuses = Counter(statuses)
        self.process.join(timeout=timeout)


def pct(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def within(latencies, windows=None):
    """Latencies in ms of requests started inside one of the windows (all when None)."""
    return {
        path: [ms for started, ms in vals if windows is None or any(a <= started <= b for a, b in windows)]
        for path, vals in latencies.items()
    }


def fmt_latency(latencies):
    out = []
    for path, vals in latencies.items():
        out.append(f"{path}: n={len(vals)} p50={pct(vals, 50):.1f} ms p99={pct(vals, 99):.1f} ms max={max(vals, default=float('nan')):.1f} ms")
    allv = [v for vals in latencies.values() for v in vals]
    out.append(f"both: n={len(allv)} p50={pct(allv, 50):.1f} ms p99={pct(allv, 99):.1f} ms")
    return out


def prepare_client(port, index, burst, forwarded):
    """GET /login for a CSRF cookie and token; returns the headers and body of the POST."""
    headers = {}
    if forwarded:
        headers["X-Forwarded-For"] = f"10.{burst}.{index // 250}.{index % 250 + 1}"
    status, resp_headers, body = request(port, "GET", "/login", headers=headers, timeout=30)
    match = CSRF_INPUT.search(body.decode("utf-8", "replace"))
    if status != 200 or not match:
        raise RuntimeError(f"GET /login answered {status} without a CSRF token")
    form = urllib.parse.urlencode({
        "csrf_token": match.group(1),
        "email": f"storm-{burst}-{index}@example.org",
        "password": "wrong-password-123",
        "next": "",
    })
    headers.update({
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookies_of(resp_headers),
    })
    return headers, form


def run_burst(port, burst, size, forwarded, timeout):
    prepared = [prepare_client(port, i, burst, forwarded) for i in range(size)]
    barrier = threading.Barrier(size)
    results = [None] * size
    durations = [0.0] * size

    def fire(i):
        headers, form = prepared[i]
        try:
            barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
        t0 = time.perf_counter()
        try:
            status, _, _ = request(port, "POST", "/login", body=form, headers=headers, timeout=timeout)
            results[i] = status
        except OSError as e:
            results[i] = type(e).__name__
        durations[i] = time.perf_counter() - t0

    threads = [threading.Thread(target=fire, args=(i,), daemon=True) for i in range(size)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout + 35)
    t1 = time.monotonic()
    return Counter(results), (t0, t1), max(durations)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="target/release/regiohub")
    ap.add_argument("--bursts", type=int, default=3)
    ap.add_argument("--size", type=int, default=200)
    ap.add_argument("--forwarded", action="store_true",
                    help="trust X-Forwarded-For and give every client its own address")
    ap.add_argument("--pause", type=float, default=2.0, help="seconds between bursts")
    ap.add_argument("--idle", type=float, default=10.0, help="seconds to wait before the idle RSS")
    ap.add_argument("--request-timeout", type=float, default=120.0)
    args = ap.parse_args()
    if not (1 <= args.bursts <= 10 and 1 <= args.size <= 1000):
        sys.exit("bursts must be 1-10 and size 1-1000")

    binary = os.path.abspath(args.bin)
    port, modbus_port = free_port(), free_port()
    data_dir = tempfile.mkdtemp(prefix="regiohub-storm-")
    env = dict(os.environ, RUST_LOG=os.environ.get("RUST_LOG", "warn"))
    env.pop("DATABASE_URL", None)
    if args.forwarded:
        env["REGIOHUB_TRUST_FORWARDED_FOR"] = "true"
    log = open(os.path.join(data_dir, "server.log"), "wb")
    cmd = [binary, "demo", "--listen", f"{HOST}:{port}", "--modbus-listen", f"{HOST}:{modbus_port}",
           "--data-dir", data_dir]
    # Run from the data directory so no regiohub.toml of the working tree is read.
    server = subprocess.Popen(cmd, cwd=data_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    print(f"server: {' '.join(cmd)} (pid {server.pid}, forwarded={'trusted' if args.forwarded else 'off'})")
    print(f"cores: {os.cpu_count()}, bursts: {args.bursts} x {args.size}")
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if request(port, "GET", "/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"server did not become healthy; see {data_dir}/server.log")
            time.sleep(0.2)
        time.sleep(2)  # let the demo finish seeding and its first bridge sync

        sampler = RssSampler(server.pid)
        sampler.start()
        time.sleep(0.5)
        start_rss = proc_status(server.pid)
        print(f"RSS before: {start_rss[0] / 1024:.1f} MB (VmHWM {start_rss[1] / 1024:.1f} MB, {start_rss[2]} threads)")

        baseline = PageProber(port, max_requests=100, max_seconds=30)
        baseline.run()
        print("other pages, quiet:")
        for line in fmt_latency(within(baseline.latencies)):
            print("  " + line)

        prober = ProberProcess(port)
        prober.start()
        storm_start = time.monotonic()
        windows = []
        for b in range(1, args.bursts + 1):
            counts, window, slowest = run_burst(port, b, args.size, args.forwarded, args.request_timeout)
            windows.append(window)
            wall = window[1] - window[0]
            order = [200, 422, 429, 503]
            shown = ", ".join(f"{k}: {counts.get(k, 0)}" for k in order)
            other = ", ".join(f"{k}: {v}" for k, v in counts.items() if k not in order)
            print(f"burst {b}: {shown}{', ' + other if other else ''}  "
                  f"(all answered in {wall:.1f} s, slowest {slowest:.2f} s; RSS now "
                  f"{(proc_status(server.pid) or (0, 0, 0))[0] / 1024:.1f} MB)")
            if b < args.bursts:
                time.sleep(args.pause)
        storm_seconds = time.monotonic() - storm_start
        prober.finish()

        time.sleep(args.idle)
        idle = proc_status(server.pid) or (0, 0, 0)
        sampler.stop.set()
        sampler.join(timeout=5)
        print(f"storm lasted {storm_seconds:.1f} s (bursts in flight {sum(b - a for a, b in windows):.1f} s)")
        print(f"peak RSS (100 ms samples): {sampler.peak_rss_kb() / 1024:.1f} MB; "
              f"VmHWM (kernel high-water mark): {idle[1] / 1024:.1f} MB")
        print(f"idle RSS {args.idle:.0f} s after the storm: {idle[0] / 1024:.1f} MB; "
              f"threads: peak {sampler.peak_threads()}, idle {idle[2]}")
        during = within(prober.latencies, windows)
        print(f"other pages while the bursts were in flight (statuses of all probes {dict(prober.statuses)}):")
        for line in fmt_latency(during):
            print("  " + line)
        slowest_probes = sorted(
            ((ms, path, started - next(a for a, b in windows if a <= started <= b))
             for path, vals in prober.latencies.items() for started, ms in vals
             if any(a <= started <= b for a, b in windows)), reverse=True)[:5]
        print("  slowest: " + ", ".join(f"{p} {ms:.0f} ms at +{off:.2f} s" for ms, p, off in slowest_probes))
        allv = [v for vals in during.values() for v in vals]
        peak_mb = idle[1] / 1024
        print(f"target peak RSS < 256 MB: {'met' if peak_mb < 256 else 'NOT met'} ({peak_mb:.1f} MB); "
              f"target p99 < 100 ms: {'met' if pct(allv, 99) < 100 else 'NOT met'} ({pct(allv, 99):.1f} ms)")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()


if __name__ == "__main__":
    main()
