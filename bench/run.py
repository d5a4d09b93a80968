#!/usr/bin/env python3
"""RegioHub's benchmark suite: one command, one table.

    python3 bench/run.py                 # full run: release build, 0 and 1,000,000 bookings, both backends
    python3 bench/run.py --smoke         # seconds: the suite still runs (.ci/run uses it); figures mean nothing

For each backend (SQLite file, and PostgreSQL at $BENCH_DATABASE_URL or 127.0.0.1:5432 as postgres)
it starts `regiohub demo` on loopback with a fresh database, measures the pages with wrk (Debian's
`wrk`, `-t2`, browser-like headers), adds N past bookings spread over thousands of members (written
by the database itself), ANALYZEs, and measures again. The minimal actix-web + askama + diesel page
(`examples/baseline_page.rs`) is measured in the same run, so the figures can be read as ratios.
It prints one Markdown table (req/s, p50, p95, p99, failed answers, server RSS) and the history's
cost (each figure with N past bookings against the empty database) and, with --out, writes
it to a file. Tests assert behaviour; nothing here is a test and nothing asserts time.

Booking creation: wrk with `bench/book.lua`, 16 keep-alive connections, each request booking a
distinct free hour of Polch's desks through `POST /api/v1/bookings` as one of many members (their
API tokens are written straight into the database), then the database is checked for double
bookings.
"""

import argparse
import contextlib
import hashlib
import json
import secrets
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMBER = "mitglied@demo.regiohub.example"
HEADERS = [
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) RegioHub-bench",
    "Accept: text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
    "Accept-Language: de-DE,de;q=0.9,en;q=0.8",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def rss_kib(pid):
    """VmRSS and VmHWM of a process, in KiB."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def wrk(url, seconds, connections, extra_headers=()):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", os.path.join(ROOT, "bench", "latency.lua")]
    for header in list(HEADERS) + list(extra_headers):
        command += ["-H", header]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = re.search(r"LATENCY p50_us=(\d+) p95_us=(\d+) p99_us=(\d+)", output)
    if not latency:
        raise SystemExit(f"wrk printed no latency line:\n{output}")
    p50, p95, p99 = (int(n) / 1000 for n in latency.groups())
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    return rps, p50, p95, p99, failed


def build(profile):
    cargo_profile = "release" if profile == "release" else "dev"
    subprocess.run(
        ["cargo", "build", "--profile", cargo_profile, "--bin", "regiohub", "--example", "baseline_page"],
        cwd=ROOT,
        check=True,
    )
    folder = os.path.join(ROOT, "target", "release" if profile == "release" else "debug")
    return os.path.join(folder, "regiohub"), os.path.join(folder, "examples", "baseline_page")


def seed_sqlite(path, bookings):
    """`bookings` past one-hour bookings, two hours apart per space, over the demo's spaces (ending
    before the demo's own last month of history), by
    members made for them (one per 200 bookings)."""
    db = sqlite3.connect(path)
    spaces = [row[0] for row in db.execute("SELECT id FROM spaces WHERE enabled = 1 ORDER BY id")]
    members = max(1, bookings // 200)
    db.execute(
        """WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
           INSERT INTO users (id, email, name, locale, status, password_hash, created_at, updated_at)
           SELECT 'bench-member-' || i, 'bench-' || i || '@example.org', 'Bench ' || i, 'de', 'active', NULL,
                  '2020-01-01 00:00:00', '2020-01-01 00:00:00' FROM n""",
        (members,),
    )
    per_space = bookings // len(spaces)
    last = date.today() - timedelta(days=70)
    for k, space in enumerate(spaces):
        count = per_space + (1 if k < bookings % len(spaces) else 0)
        if count == 0:
            continue
        db.execute(
            """WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
               INSERT INTO bookings (id, space_id, user_id, start_at, end_at, status, created_at, updated_at)
               SELECT 'bench-' || ? || '-' || i, ?, 'bench-member-' || ((i * 7 + ?) % ?),
                      datetime(?, '-' || (2 * i + 2) || ' hours'), datetime(?, '-' || (2 * i + 1) || ' hours'),
                      'completed', '2020-01-01 00:00:00', '2020-01-01 00:00:00' FROM n""",
            (count, k, space, k, members, last.isoformat(), last.isoformat()),
        )
    db.commit()
    db.execute("ANALYZE")
    db.close()


def psql(url, sql):
    done = subprocess.run(["psql", url, "-qtA", "-v", "ON_ERROR_STOP=1", "-f", "-"], input=sql, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"psql failed: {done.stderr.strip()}\n{sql}")


def seed_postgres(url, bookings):
    members = max(1, bookings // 200)
    psql(
        url,
        f"""INSERT INTO users (id, email, name, locale, status, password_hash, created_at, updated_at)
            SELECT 'bench-member-' || i, 'bench-' || i || '@example.org', 'Bench ' || i, 'de', 'active', NULL,
                   TIMESTAMP '2020-01-01', TIMESTAMP '2020-01-01' FROM generate_series(0, {members - 1}) AS i""",
    )
    last = (date.today() - timedelta(days=70)).isoformat()
    psql(
        url,
        f"""WITH bench_spaces AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n
                                  FROM spaces WHERE enabled)
            INSERT INTO bookings (id, space_id, user_id, start_at, end_at, status, created_at, updated_at)
            SELECT 'bench-' || s.k || '-' || i, s.id, 'bench-member-' || ((i * 7 + s.k) % {members}),
                   TIMESTAMP '{last}' - (2 * i + 2) * INTERVAL '1 hour',
                   TIMESTAMP '{last}' - (2 * i + 1) * INTERVAL '1 hour',
                   'completed', TIMESTAMP '2020-01-01', TIMESTAMP '2020-01-01'
            FROM bench_spaces s, generate_series(0, {bookings} / s.n - 1) AS i""",
    )
    # As autovacuum does soon after a bulk insert (PostgreSQL 13 and later): the statistics, and the
    # visibility map that lets index-only scans skip the table.
    psql(url, "VACUUM ANALYZE")


def sql_rows(backend, url, sql):
    if backend == "sqlite":
        db = sqlite3.connect(url)
        rows = db.execute(sql).fetchall()
        db.close()
        return rows
    done = subprocess.run(["psql", url, "-qtA", "-F", "\t", "-c", sql], capture_output=True, text=True, check=True)
    return [tuple(line.split("\t")) for line in done.stdout.splitlines() if line]


def sql_exec(backend, url, statements):
    if backend == "sqlite":
        db = sqlite3.connect(url)
        for sql in statements:
            db.execute(sql)
        db.commit()
        db.close()
    else:
        psql(url, ";\n".join(statements) + ";")


def booking_members(backend, url, count, tag):
    """`count` active members with an API token each, written straight into the database."""
    tokens = [f"rh_bench{tag}{i}_{secrets.token_hex(16)}" for i in range(count)]
    statements = []
    for i, token in enumerate(tokens):
        user = f"bench-booker-{tag}-{i}"
        digest = hashlib.sha256(token.encode()).hexdigest()
        statements.append(
            "INSERT INTO users (id, email, name, locale, status, password_hash, created_at, updated_at) "
            f"VALUES ('{user}', '{user}@example.org', 'Booker {i}', 'de', 'active', NULL, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        statements.append(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) "
            f"VALUES ('{user}-token', '{user}', 'bench', '{digest}', '2026-01-01 00:00:00')"
        )
    sql_exec(backend, url, statements)
    return tokens


def free_desk_hours(backend, url):
    """Whole hours (local time) of Polch's desks from tomorrow on, as far ahead as they may be
    booked, on days the hub is open and the demo booked nothing there: (space id, start, end) in
    the form's notation."""
    desks = sql_rows(
        backend,
        url,
        "SELECT s.id, s.max_days_ahead FROM spaces s JOIN hubs h ON h.id = s.hub_id "
        "WHERE h.slug = 'polch' AND s.kind = 'desk' AND s.enabled ORDER BY s.name",
    )
    busy = set()
    for space, start in sql_rows(backend, url, "SELECT space_id, start_at FROM bookings WHERE start_at > '2026-01-01'"):
        day = date.fromisoformat(str(start)[:10])
        busy.update({(space, day), (space, day + timedelta(days=1)), (space, day - timedelta(days=1))})
    closed = set()
    for first, last in sql_rows(
        backend, url, "SELECT c.first_day, c.last_day FROM closures c JOIN hubs h ON h.id = c.hub_id WHERE h.slug = 'polch'"
    ):
        day, last = date.fromisoformat(str(first)[:10]), date.fromisoformat(str(last)[:10])
        while day <= last:
            closed.add(day)
            day += timedelta(days=1)
    slots = []
    for day in range(1, min(int(days) for _, days in desks)):
        start_day = date.today() + timedelta(days=day)
        if start_day in closed:
            continue
        for hour in range(0, 23):
            for space, _ in desks:
                if (space, start_day) in busy:
                    continue
                start = f"{start_day.isoformat()}T{hour:02d}:00"
                end = f"{start_day.isoformat()}T{hour + 1:02d}:00"
                slots.append((space, start, end))
    return slots


def measure_bookings(port, tokens, slots, scratch, seconds, clients=16, threads=2):
    """Books every slot once through wrk (`bench/book.lua`), `clients` connections on `threads`
    threads, for at most `seconds`; (bookings/s, p50 ms, p95 ms, p99 ms, failed). Failed counts refusals,
    socket errors and bookings not answered in time."""
    plan = os.path.join(scratch, f"bookings-{port}-{len(slots)}.txt")
    with open(plan, "w") as out:
        for token, (space, start, end) in zip(tokens, slots):
            out.write(f"{token} {space} {start} {end}\n")
    command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "10s",
               "-s", os.path.join(ROOT, "bench", "book.lua"), f"http://127.0.0.1:{port}", "--", str(threads)]
    finished = subprocess.run(command, capture_output=True, text=True, check=True, env=dict(os.environ, BOOKINGS_FILE=plan))
    if finished.stderr.strip():
        print(f"  booking refusals (first 3 per thread): {finished.stderr.strip()}", file=sys.stderr)
    found = re.search(
        r"BOOKINGS created=(\d+) refused=(\d+) socket_errors=(\d+) elapsed_us=(\d+) p50_us=(\d+) p95_us=(\d+) p99_us=(\d+)",
        finished.stdout,
    )
    if not found:
        raise SystemExit(f"wrk's booking round printed no result:\n{finished.stdout}")
    created, refused, socket_errors, elapsed, p50, p95, p99 = (int(n) for n in found.groups())
    unanswered = len(slots) - created - refused
    if unanswered:
        print(f"  {unanswered} of {len(slots)} bookings were not answered within {seconds} s", file=sys.stderr)
    return created / max(elapsed / 1e6, 1e-6), p50 / 1000, p95 / 1000, p99 / 1000, refused + socket_errors + max(unanswered, 0)


def double_bookings(backend, url):
    rows = sql_rows(
        backend,
        url,
        "SELECT count(*) FROM bookings a JOIN bookings b ON a.space_id = b.space_id AND a.id < b.id "
        "WHERE a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show') "
        "AND a.start_at < b.end_at AND b.start_at < a.end_at AND a.start_at > '2026-01-01'",
    )
    return int(rows[0][0])


PERF_DIR = None  # --perf: where each measurement's `perf record` of the server goes


@contextlib.contextmanager
def profiled(pid, label):
    """With --perf, records the server's CPU (perf, DWARF call stacks, 199 Hz) while the block
    runs, to PERF_DIR/<label>.data; `bench/profile.py` reads it."""
    if PERF_DIR is None:
        yield
        return
    path = os.path.join(PERF_DIR, re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") + ".data")
    recorder = subprocess.Popen(
        ["perf", "record", "-q", "-F", "199", "--call-graph", "dwarf,16384", "-p", str(pid), "-o", path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=60)


def measure_pages(base, token, seconds, connections, pid, label):
    today = date.today().isoformat()
    auth = [f"Authorization: Bearer {token}"]
    rows = []
    for name, path, headers in [
        ("day view /hubs/polch", "/hubs/polch", ()),
        ("start page /", "/", ()),
        ("availability API", f"/api/v1/hubs/polch/availability?date={today}", auth),
    ]:
        with profiled(pid, f"{label} {name}"):
            rps, p50, p95, p99, failed = wrk(base + path, seconds, connections, headers)
        rows.append((name, rps, p50, p95, p99, failed, rss_kib(pid)[0]))
    return rows


def run_backend(backend, binary, history, seconds, connections, scratch, booking_limit, booking_seconds):
    data = tempfile.mkdtemp(prefix=f"bench-{backend}-", dir=scratch)
    env = dict(os.environ)
    # The demo's SQLite file, named so that `regiohub token create` finds it too.
    database_url = os.path.join(data, "demo.db")
    env["DATABASE_URL"] = database_url
    env.pop("REGIOHUB_CONFIG", None)
    admin = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"regiohub_bench_{os.getpid()}"
    if backend == "postgres":
        psql(admin, f"DROP DATABASE IF EXISTS {name}")
        psql(admin, f"CREATE DATABASE {name}")
        database_url = admin.rsplit("/", 1)[0] + "/" + name
        env["DATABASE_URL"] = database_url
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = os.path.join(data, "server.log")
    log = open(log_path, "w")
    server = None
    results = []
    try:
        server = subprocess.Popen(
            [binary, "demo", "--listen", f"127.0.0.1:{port}", "--modbus-listen", f"127.0.0.1:{free_port()}", "--data-dir", data],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(base + "/health", server)
        token = subprocess.run(
            [binary, "token", "create", "--email", MEMBER, "--name", "bench", "--data-dir", data],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip().splitlines()[-1]
        # The free desk hours, split between the two rounds (both before any round books).
        all_slots = free_desk_hours(backend, database_url)
        for bookings in history:
            if bookings:
                started = time.monotonic()
                if backend == "sqlite":
                    seed_sqlite(database_url, bookings)
                else:
                    seed_postgres(database_url, bookings)
                print(f"  {backend}: {bookings} bookings seeded in {time.monotonic() - started:.0f} s", file=sys.stderr)
            for row in measure_pages(base, token, seconds, connections, server.pid, f"{backend} {bookings}"):
                results.append((backend, bookings) + row)
            # Half of the free desk hours for each round, each booked by a member of its own.
            half = len(all_slots) // 2
            slots = (all_slots[:half] if bookings == 0 else all_slots[half:])[:booking_limit]
            tokens = booking_members(backend, database_url, len(slots), f"{bookings}")
            with profiled(server.pid, f"{backend} {bookings} bookings"):
                rps, p50, p95, p99, failed = measure_bookings(port, tokens, slots, data, booking_seconds)
            results.append((backend, bookings, f"booking creation, 16 clients ({len(slots)})", rps, p50, p95, p99, failed, rss_kib(server.pid)[0]))
        doubles = double_bookings(backend, database_url)
        if doubles:
            raise SystemExit(f"{backend}: {doubles} double bookings")
        _, peak = rss_kib(server.pid)
    except BaseException:
        # The server's own words, before the scratch folder goes.
        log.flush()
        with open(log_path) as written:
            tail = written.readlines()[-30:]
        print(f"--- last lines of the {backend} server's log:\n" + "".join(tail), file=sys.stderr)
        raise
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        log.close()
        if backend == "postgres":
            try:
                psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            except SystemExit as error:
                print(f"warning: the benchmark database {name} was not dropped: {error}", file=sys.stderr)
    return results, peak


def run_baseline(binary, seconds, connections, scratch):
    folder = tempfile.mkdtemp(prefix="bench-baseline-", dir=scratch)
    port = free_port()
    server = subprocess.Popen([binary, f"127.0.0.1:{port}", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", server)
        rps, p50, p95, p99, failed = wrk(f"http://127.0.0.1:{port}/", seconds, connections)
        return rps, p50, p95, p99, failed, rss_kib(server.pid)[0]
    finally:
        server.kill()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="seconds, not minutes: checks the suite runs")
    parser.add_argument("--history", type=int, default=None, help="past bookings to add (default 1,000,000; smoke 2,000)")
    parser.add_argument("--seconds", type=int, default=None, help="per measurement (default 10; smoke 1)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--bookings", type=int, default=None, help="bookings per round at most (default all free desk hours; smoke 64)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--profile", choices=["release", "debug"], default=None, help="default release; smoke debug")
    parser.add_argument("--out", help="also write the table to this file")
    parser.add_argument("--perf", metavar="DIR", help="record a CPU profile of the server per measurement (Debian perf)")
    args = parser.parse_args()
    if args.perf:
        global PERF_DIR
        PERF_DIR = os.path.abspath(args.perf)
        os.makedirs(PERF_DIR, exist_ok=True)
    history = args.history if args.history is not None else (2000 if args.smoke else 1_000_000)
    seconds = args.seconds or (1 if args.smoke else 10)
    profile = args.profile or ("debug" if args.smoke else "release")
    connections = 8 if args.smoke and args.connections == 64 else args.connections
    booking_limit = args.bookings or (64 if args.smoke else 1_000_000)
    # wrk runs for its whole -d even when every booking is answered early: long enough for the
    # round, not much longer.
    booking_seconds = 15 if args.smoke else 20
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (Debian)")

    regiohub, baseline = build(profile)
    scratch = tempfile.mkdtemp(prefix="regiohub-bench-")
    try:
        base = run_baseline(baseline, seconds, connections, scratch)
        rows = []
        peaks = {}
        for backend in args.backends.split(","):
            results, peak = run_backend(
                backend, regiohub, [0, history], seconds, connections, scratch, booking_limit, booking_seconds
            )
            rows += results
            peaks[backend] = peak
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    lines = [
        f"Command: `python3 bench/run.py{' --smoke' if args.smoke else ''}` ({profile} build, wrk -t2 -c{connections}, {seconds} s each)",
        f"Machine: {os.cpu_count()} cores; {date.today().isoformat()}",
        "",
        "| backend | past bookings | what | req/s | × baseline | p50 ms | p95 ms | p99 ms | failed | server RSS MiB |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| – | – | baseline page (actix-web + askama + diesel/SQLite) | {base[0]:.0f} | 1.00 | {base[1]:.2f} | {base[2]:.2f} | {base[3]:.2f} | {base[4]} | {base[5] / 1024:.1f} |",
    ]
    for backend, bookings, name, rps, p50, p95, p99, failed, rss in rows:
        lines.append(
            f"| {backend} | {bookings:,} | {name} | {rps:.0f} | {rps / base[0]:.2f} | {p50:.2f} | {p95:.2f} | {p99:.2f} | {failed} | {rss / 1024:.1f} |"
        )
    lines.append("")
    lines.append("With history against the empty database (p95 and req/s, same backend and measurement):")
    empty = {(b, name.split(" (")[0]): (rps, p95) for b, n, name, rps, p50, p95, p99, failed, rss in rows if n == 0}
    for backend, bookings, name, rps, p50, p95, p99, failed, rss in rows:
        before = empty.get((backend, name.split(" (")[0]))
        if bookings and before:
            lines.append(f"- {backend}, {bookings:,}, {name.split(' (')[0]}: p95 {p95 / before[1]:.2f}×, req/s {rps / before[0]:.2f}×")
    lines.append("")
    lines.append("Double bookings found after the booking runs: 0 (the run stops otherwise).")
    lines.append("Peak server RSS (VmHWM): " + ", ".join(f"{b} {kib / 1024:.1f} MiB" for b, kib in peaks.items()))
    table = "\n".join(lines)
    print(table)
    if args.out:
        with open(args.out, "w") as out:
            out.write(table + "\n")
    failures = sum(row[7] for row in rows) + base[4]
    if failures:
        raise SystemExit(f"{failures} requests failed (non-2xx or socket errors): see the table")


if __name__ == "__main__":
    main()
