"""Load benchmark: the default preset plus a referencing resource on PostgreSQL under wrk, next to a FastAPI ceiling.

    python -m tests.bench [--duration SECONDS] [--warmup SECONDS] [--keep] [--quiet-servers]

Generates the default preset with a second resource, reviews that reference products, installs
it with uv, migrates a fresh PostgreSQL database (the server in TEST_DATABASE_URL, else the local
one) and seeds both tables. Each app runs alone as one uvicorn worker on core 0; wrk (one thread)
and the bench database's backends run on core 1. The ceiling is a one-route FastAPI app returning
a constant, served by the same interpreter and flags: by default uvicorn's own logging, access log
included, as `make run` serves the service.

A second copy of the service, generated with `auth: oidc`, serves GET by id to callers sending a
bearer token: the tokens and the JWKS come from the copy's own test issuer (tests/issuer.py), the
JWKS served on loopback by this process. A third, generated with `auth: local`, does the same with
a token signed by the key it is given as AUTH_SIGNING_KEY (its tests/issuer.py makes both).
Every copy logs as production does (JSON lines, the access line, metrics, request ids, the body
limit, security headers, ETags); GET by id is measured again with each feature a setting turns
off (ACCESS_LOG, METRICS) and with all of them off, and a second table gives each one's cost in
server CPU per request.

Every scenario is measured once per round, on a fresh server, in three rounds (the local copy's
three runs come last: it migrates the database to a revision the others do not know); each
scenario's median run by req/s is the one reported and compared. Errors count in every run. The
rows a round's creates added are deleted after it, so every round lists the seeded rows only.

Prints a table and exits 1 when a target is missed: get by id >= 40 % of the ceiling's req/s,
create >= 35 %, create with a reference >= 35 %, list >= 30 %, list with filters and a multi-key
sort >= 90 % of the plain list when neither counts (include_total=false) and >= 50 % when both
do (counting half the table is the database's work, not the service's), get by id at 256
connections >= 80 % of it at 64, get by id with a token (oidc or local) >= 85 % of it without auth,
get by id as production serves it >= 75 % of it with every feature a setting can turn off off, no
errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
from uv import find_uv_bin

from tests.generation import generate
from tests.issuing import IssuingFailed, jwks_server, mint
from tests.net import free_port
from tests.postgres import SERVER_URL_VARIABLE, fresh_database, with_database
from tests.presets import DEFAULT_FIELDS, answers
from tests.pythons import interpreter
from tests.steps import GateFailed, project_env, run

DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LUA_DIR = Path(__file__).with_name("bench")
SERVER_CORE = "0"
CLIENT_CORE = "1"
ROWS = 10_000
REVIEWS = 5_000
POOL_SIZE = 64  # one pooled connection per wrk connection at 64; beyond that requests queue FIFO
RESOURCE_PATH = "/api/v1/products"
REVIEW_PATH = "/api/v1/reviews"
# The default product with the index a service declares for the list it filters and sorts by price,
# and reviews whose create checks a foreign key to it.
INDEXED_FIELDS = DEFAULT_FIELDS.replace("price:decimal(12,2){ge=0}", "price:decimal(12,2){ge=0,index}")
RESOURCES = (
    {"name": "product", "fields": INDEXED_FIELDS},
    {"name": "review", "fields": "product:ref{on_delete=cascade}, rating:int{ge=1,le=5}, note:text?"},
)
# Half of the seeded products: price >= 400 keeps 600 of every 1,000, stock <= 449 then 500 of those 600.
FILTERED_LIST = f"{RESOURCE_PATH}?price__gte=400&stock__lte=449&sort=-price,name&limit=20"
UVICORN_FLAGS = ("--loop", "uvloop", "--http", "httptools")
QUIET_FLAGS = ("--no-access-log", "--log-level", "warning")
SERVER_ERROR_MARKERS = ("Exception in ASGI application", "Unhandled error")
BUSY_WARNING = 0.15  # share of a core that other processes may use before a run is flagged as noisy
TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}

CEILING_APP = """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def constant() -> dict[str, object]:
    return {"id": 1, "name": "ceiling", "ok": True}
"""

SEED_SQL = """
INSERT INTO products (name, description, price, stock, created_at, updated_at)
SELECT 'Product ' || g,
       CASE WHEN g % 3 = 0 THEN NULL ELSE 'Description of product ' || g END,
       (g % 1000) + 0.99,
       g % 500,
       now() - make_interval(secs => g),
       now() - make_interval(secs => g)
FROM generate_series(1, $1::int) AS g
"""

# $1 reviews spread over the $3 products from id $2 on.
REVIEW_SEED_SQL = """
INSERT INTO reviews (product_id, rating, note, created_at, updated_at)
SELECT $2::bigint + g % $3::int,
       1 + g % 5,
       CASE WHEN g % 2 = 0 THEN NULL ELSE 'Review ' || g END,
       now() - make_interval(secs => g),
       now() - make_interval(secs => g)
FROM generate_series(1, $1::int) AS g
"""

VACUUM_SQL = "VACUUM (ANALYZE) products, reviews"
# What a round's creates added: products after the last seeded one, reviews after the seeded ones (a fresh table's ids).
CREATED_SQL = ("DELETE FROM reviews WHERE id > $1", "DELETE FROM products WHERE id > $1")


class BenchError(Exception):
    """The benchmark could not run; the message says why."""


@dataclass(frozen=True)
class Scenario:
    """One wrk run: a path on the server, a connection count and an optional Lua script."""

    key: str
    label: str
    path: str
    connections: int = 64
    script: str | None = None
    product_ids: bool = False  # the script takes the first and last seeded product id
    authorized: bool = False  # served by the oidc copy, each request with a bearer token


CEILING = Scenario("ceiling", "ceiling (constant JSON)", "/")
SCENARIOS = (
    Scenario("get", "GET by id", RESOURCE_PATH, script="get_by_id.lua", product_ids=True),
    Scenario("list", "GET list ?limit=20", f"{RESOURCE_PATH}?limit=20"),
    Scenario("list-filtered", "GET list filter+sort", FILTERED_LIST),
    Scenario("list-uncounted", "GET list, no total", f"{RESOURCE_PATH}?limit=20&include_total=false"),
    Scenario("list-filtered-uncounted", "GET filter+sort, no total", f"{FILTERED_LIST}&include_total=false"),
    Scenario("create", "POST create", RESOURCE_PATH, script="create.lua"),
    Scenario("create-ref", "POST create with a ref", REVIEW_PATH, script="create_review.lua", product_ids=True),
    Scenario("get-256", "GET by id", RESOURCE_PATH, connections=256, script="get_by_id.lua", product_ids=True),
)
AUTHORIZED = Scenario(
    "get-auth", "GET by id, bearer token", RESOURCE_PATH, script="get_by_id.lua", product_ids=True, authorized=True
)
AUTHORIZED_LOCAL = Scenario(
    "get-local", "GET by id, local token", RESOURCE_PATH, script="get_by_id.lua", product_ids=True, authorized=True
)
GET_BY_ID = SCENARIOS[0]
# Every service run logs as production does: JSON lines, the access line at INFO, metrics on.
AS_PRODUCTION = {"LOG_FORMAT": "json"}
# Every scenario is measured once per round, in ROUNDS rounds, and its median run kept: on a shared machine one
# window of seconds serves a fifth more or less than the next, the same server alike, more than a feature costs,
# and rounds minutes apart meet different phases of that drift.
ROUNDS = 3
# What a setting turns off, measured again on GET by id: (key, label, settings); the last turns off all.
FEATURES = (
    ("access-log", "no access log", {"ACCESS_LOG": "false"}),
    ("metrics", "no metrics", {"METRICS": "false"}),
    ("all", "all off", {"ACCESS_LOG": "false", "METRICS": "false", "LOG_LEVEL": "WARNING"}),
)
# (scenario, baseline, minimum share of the baseline's req/s)
RATIO_TARGETS = (
    ("get", "ceiling", 0.40),
    ("create", "ceiling", 0.35),
    ("create-ref", "ceiling", 0.35),
    ("list", "ceiling", 0.30),
    ("list-filtered-uncounted", "list-uncounted", 0.90),
    ("list-filtered", "list", 0.50),
    ("get-256", "get", 0.80),
    ("get-auth", "get", 0.85),
    ("get-local", "get", 0.85),
    ("get", "get-without-all", 0.75),
)


@dataclass(frozen=True)
class WrkReport:
    """What one wrk run measured."""

    requests: int
    requests_per_second: float
    p99_ms: float
    non_2xx: int
    socket_errors: int


@dataclass(frozen=True)
class Result:
    """One scenario's measurement, the server's CPU time and the errors its log gained meanwhile."""

    scenario: Scenario
    wrk: WrkReport
    server_errors: int
    server_cpu_seconds: float
    busy_before: float

    @property
    def cpu_us_per_request(self) -> float:
        """The server's CPU time per request, in microseconds: steadier than req/s on a busy machine."""
        return self.server_cpu_seconds * 1e6 / max(self.wrk.requests, 1)

    @property
    def errors(self) -> int:
        """Non-2xx/3xx answers, socket errors and logged server errors."""
        return self.wrk.non_2xx + self.wrk.socket_errors + self.server_errors


@dataclass(frozen=True)
class Server:
    """A running uvicorn: its process id, base URL and the log its output goes to."""

    pid: int
    base_url: str
    log: Path


@dataclass(frozen=True)
class Load:
    """How wrk drives a server: the tools' paths, the run lengths and the ids to draw from."""

    wrk: str
    taskset: str
    duration: int
    warmup: int
    quiet: bool = False  # both servers without uvicorn's access log
    id_range: tuple[int, int] = (1, 1)
    token: str = ""  # the bearer token of authorized scenarios


def to_ms(value: str, unit: str) -> float:
    """A wrk duration such as ('1.25', 'ms') in milliseconds."""
    return float(value) * TIME_UNITS_MS[unit]


def parse_wrk(output: str) -> WrkReport:
    """Requests/sec, p99 latency and error counts from wrk's `--latency` output."""
    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    if requests is None or rps is None or p99 is None:
        raise BenchError(f"unexpected wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkReport(
        requests=int(requests.group(1)),
        requests_per_second=float(rps.group(1)),
        p99_ms=to_ms(p99.group(1), p99.group(2)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(count) for count in sockets.groups()) if sockets else 0,
    )


def wrk_command(load: Load, base_url: str, scenario: Scenario, seconds: int) -> list[str]:
    """The wrk command line for `scenario`, pinned to the client core."""
    command = [load.taskset, "-c", CLIENT_CORE, load.wrk, "-t1", f"-c{scenario.connections}", f"-d{seconds}s"]
    command.append("--latency")
    if scenario.authorized:
        command += ["-H", f"Authorization: Bearer {load.token}"]
    if scenario.script is not None:
        command += ["-s", str(LUA_DIR / scenario.script)]
    command.append(base_url + scenario.path)
    if scenario.product_ids:
        command += ["--", str(load.id_range[0]), str(load.id_range[1])]
    return command


def run_wrk(command: list[str]) -> str:
    """Run wrk; its standard output, or BenchError when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchError(f"wrk failed (exit {result.returncode}): {' '.join(command)}\n{result.stderr}")
    return result.stdout


def count_server_errors(log: Path) -> int:
    """Lines of the server log that report an unhandled error."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return sum(1 for line in text.splitlines() if any(marker in line for marker in SERVER_ERROR_MARKERS))


def cpu_seconds(pid: int) -> float:
    """The user and system CPU time process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cores_busy(seconds: float = 0.5) -> float:
    """The busiest of the server and client cores over `seconds`, as a share of the core."""

    def sample() -> dict[str, tuple[int, int]]:
        ticks = {}
        for line in Path("/proc/stat").read_text().splitlines():
            name, *values = line.split()
            if name in (f"cpu{SERVER_CORE}", f"cpu{CLIENT_CORE}"):
                numbers = [int(value) for value in values]
                ticks[name] = (sum(numbers), numbers[3] + numbers[4])  # total, idle + iowait
        return ticks

    before = sample()
    time.sleep(seconds)
    after = sample()
    shares = []
    for name, (total, idle) in after.items():
        elapsed = total - before[name][0]
        shares.append(1 - (idle - before[name][1]) / elapsed if elapsed else 0.0)
    return max(shares)


def measure(load: Load, server: Server, scenario: Scenario) -> Result:
    """Check the cores are quiet, warm up, then measure `scenario` against `server`."""
    print(f"--> {scenario.label}, {scenario.connections} connections", flush=True)
    busy = cores_busy()
    if busy > BUSY_WARNING:
        print(f"!!! other processes keep a benchmark core {busy:.0%} busy: expect low, noisy numbers", flush=True)
    if load.warmup > 0:
        run_wrk(wrk_command(load, server.base_url, scenario, load.warmup))
    errors_before, cpu_before = count_server_errors(server.log), cpu_seconds(server.pid)
    report = parse_wrk(run_wrk(wrk_command(load, server.base_url, scenario, load.duration)))
    cpu = cpu_seconds(server.pid) - cpu_before
    result = Result(scenario, report, count_server_errors(server.log) - errors_before, cpu, busy)
    print(
        f"<-- {report.requests_per_second:,.0f} req/s, p99 {report.p99_ms:.2f} ms,"
        f" {result.cpu_us_per_request:.0f} us server CPU/request, {result.errors} error(s)",
        flush=True,
    )
    return result


def wait_until_ready(process: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 60.0) -> None:
    """Poll `url` until it answers 200; BenchError if the server exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"the server exited with code {process.returncode}; see {log}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1.0) as response:  # noqa: S310 - loopback URL built here
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise BenchError(f"{url} did not answer 200 within {timeout:g} s; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server and wait for it; kill it if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serve(project: Path, app: str, *, load: Load, cwd: Path, env: dict[str, str], ready_path: str) -> Iterator[Server]:
    """One uvicorn worker of the project's interpreter, pinned to the server core, logging to cwd/server.log."""
    port = free_port()
    log = cwd / "server.log"
    command = [
        load.taskset, "-c", SERVER_CORE, str(project / ".venv" / "bin" / "python"), "-m", "uvicorn", app,
        "--host", "127.0.0.1", "--port", str(port), *UVICORN_FLAGS, *(QUIET_FLAGS if load.quiet else ()),
    ]  # fmt: skip
    with log.open("ab") as sink:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_ready(process, base_url + ready_path, log)
        yield Server(process.pid, base_url, log)
    finally:
        stop(process)


async def seed(dsn: str, rows: int, reviews: int) -> tuple[int, int]:
    """Insert `rows` products, then `reviews` reviews of them, vacuum and analyze; the first and last product id."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(SEED_SQL, rows)
        bounds = await connection.fetchrow("SELECT min(id) AS first, max(id) AS last FROM products")
        first, last = (int(bounds["first"]), int(bounds["last"])) if bounds and bounds["first"] else (0, -1)
        if last - first + 1 != rows:
            raise BenchError(f"expected {rows} consecutive ids after seeding, got {first}..{last}")
        await connection.execute(REVIEW_SEED_SQL, reviews, first, rows)
        await connection.execute(VACUUM_SQL)
    finally:
        await connection.close()
    return first, last


async def drop_created(dsn: str, last_product: int) -> None:
    """Delete the rows a round created, then vacuum: every round lists and counts the seeded rows only."""
    connection = await asyncpg.connect(dsn)
    try:
        for statement, last in zip(CREATED_SQL, (REVIEWS, last_product), strict=True):
            await connection.execute(statement, last)
        await connection.execute(VACUUM_SQL)
    finally:
        await connection.close()


async def backend_pids(dsn: str) -> list[int]:
    """The server processes of every other client connected to the database of `dsn`."""
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    return [int(row["pid"]) for row in rows]


async def vacuum(dsn: str) -> None:
    """Vacuum and analyze the seeded tables now, so autovacuum does not wake up during a later run."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(VACUUM_SQL)
    finally:
        await connection.close()


def pin_backends(dsn: str, taskset: str) -> None:
    """Move the bench database's backends to the client core, leaving the server core to the app."""
    pids = asyncio.run(backend_pids(dsn))
    pinned = 0
    for pid in pids:
        command = [taskset, "-a", "-p", "-c", CLIENT_CORE, str(pid)]
        pinned += subprocess.run(command, capture_output=True, check=False).returncode == 0
    note = "" if pinned == len(pids) else " (the others need root or the database server's user)"
    print(f"--- pinned {pinned} of {len(pids)} database backend(s) to core {CLIENT_CORE}{note}", flush=True)


def install(workdir: Path, auth: str = "none") -> Path:
    """Generate the default preset with RESOURCES and `auth` into `workdir` and install it; the project folder."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    settings = answers("default", python_version=version, resources=list(RESOURCES), auth=auth)
    project = generate(workdir / f"service-{auth}", settings)
    run("install", [find_uv_bin(), "sync", "--python", interpreter(version)], project, project_env())
    return project


def prepare_database(project: Path, database_url: str) -> tuple[int, int]:
    """Migrate the bench database to head and seed it; the range of product ids."""
    uv = [find_uv_bin(), "run", "--frozen", "--no-sync"]
    run("alembic upgrade", [*uv, "alembic", "upgrade", "head"], project, project_env(DATABASE_URL=database_url))
    started = time.perf_counter()
    id_range = asyncio.run(seed(with_database(database_url, "postgresql"), ROWS, REVIEWS))
    print(f"--- seeded {ROWS:,} products and {REVIEWS:,} reviews in {time.perf_counter() - started:.2f} s", flush=True)
    return id_range


def bench_ceiling(load: Load, project: Path, workdir: Path) -> Result:
    """Serve and measure the one-route ceiling app with the project's own interpreter."""
    folder = workdir / "ceiling"
    folder.mkdir(exist_ok=True)
    (folder / "ceiling.py").write_text(CEILING_APP)
    with serve(project, "ceiling:app", load=load, cwd=folder, env=project_env(), ready_path="/") as server:
        return measure(load, server, CEILING)


def bench_service(
    load: Load, project: Path, database_url: str, scenarios: tuple[Scenario, ...], **settings: str
) -> list[Result]:
    """Serve the generated service on the bench database with `settings` and measure `scenarios`."""
    env = project_env(
        DATABASE_URL=database_url,
        DB_POOL_MIN_SIZE=str(POOL_SIZE),
        DB_POOL_MAX_SIZE=str(POOL_SIZE),
        **settings,
    )
    with serve(project, "app.main:app", load=load, cwd=project, env=env, ready_path="/health/ready") as server:
        dsn = with_database(database_url, "postgresql")
        pin_backends(dsn, load.taskset)
        results = []
        for scenario in scenarios:
            results.append(measure(load, server, scenario))
            asyncio.run(vacuum(dsn))
        return results


def bench_features(load: Load, project: Path, database_url: str) -> list[Result]:
    """GET by id served again with each feature a setting turns off, and with all off, each on a fresh server."""
    results = []
    for key, label, settings in FEATURES:
        scenario = replace(GET_BY_ID, key=f"get-without-{key}", label=f"GET by id, {label}")
        results += bench_service(load, project, database_url, (scenario,), **AS_PRODUCTION, **settings)
    return results


def median_runs(runs: list[Result]) -> list[Result]:
    """Each scenario's median run by req/s, in the order the scenarios were first measured."""
    by_key: dict[str, list[Result]] = {}
    for result in runs:
        by_key.setdefault(result.scenario.key, []).append(result)
    ranked = [sorted(results, key=lambda result: result.wrk.requests_per_second) for results in by_key.values()]
    return [results[len(results) // 2] for results in ranked]


def feature_costs(results: list[Result]) -> str:
    """What each feature adds to GET by id, in server CPU per request: the median run with it less the one without."""
    by_key = {result.scenario.key: result for result in results}
    with_all = by_key[GET_BY_ID.key]
    lines = [f"{'feature turned off':<24} {'CPU us/req':>10} {'its cost us':>11} {'share':>6}"]
    for key, label, _ in FEATURES:
        without = by_key[f"get-without-{key}"]
        cost = with_all.cpu_us_per_request - without.cpu_us_per_request
        lines.append(
            f"{label:<24} {without.cpu_us_per_request:>10.0f} {cost:>11.0f} {cost / with_all.cpu_us_per_request:>6.0%}"
        )
    return "\n".join(lines)


def bench_local(load: Load, project: Path, database_url: str) -> list[Result]:
    """Migrate the bench database with the local copy (its accounts tables), serve it and measure its tokens."""
    uv = [find_uv_bin(), "run", "--frozen", "--no-sync"]
    run("alembic upgrade", [*uv, "alembic", "upgrade", "head"], project, project_env(DATABASE_URL=database_url))
    issued = mint(project)
    settings = {"AUTH_ISSUER": issued["issuer"], "AUTH_AUDIENCE": issued["audience"], "AUTH_SIGNING_KEY": issued["key"]}
    local = replace(load, token=issued["token"])
    return bench_service(local, project, database_url, (AUTHORIZED_LOCAL,), **AS_PRODUCTION, **settings)


def bench_authorized(load: Load, project: Path, database_url: str) -> list[Result]:
    """Serve the oidc copy with its test issuer's keys and measure the authorized scenario."""
    issued = mint(project)
    with jwks_server(issued["jwks"]) as jwks_url:
        settings = {"AUTH_ISSUER": issued["issuer"], "AUTH_AUDIENCE": issued["audience"], "AUTH_JWKS_URL": jwks_url}
        authorized = replace(load, token=issued["token"])
        return bench_service(authorized, project, database_url, (AUTHORIZED,), **AS_PRODUCTION, **settings)


def missed_targets(results: list[Result], runs: list[Result]) -> list[str]:
    """One message per missed target, ratios from the median `results`, errors from every one of the `runs`."""
    by_key = {result.scenario.key: result for result in results}
    missed = []
    for key, baseline, floor in RATIO_TARGETS:
        ratio = by_key[key].wrk.requests_per_second / by_key[baseline].wrk.requests_per_second
        if ratio < floor:
            missed.append(
                f"{describe(by_key[key])}: {ratio:.0%} of {describe(by_key[baseline])}, target >= {floor:.0%}"
            )
    missed += [f"{describe(result)}: {result.errors} error(s), target 0" for result in runs if result.errors]
    return missed


def describe(result: Result) -> str:
    """A scenario's name and connection count, for messages."""
    return f"{result.scenario.label} ({result.scenario.connections} connections)"


def table(results: list[Result]) -> str:
    """The results as a fixed-width table, with each scenario's share of the ceiling's req/s."""
    ceiling = next(result for result in results if result.scenario.key == "ceiling").wrk.requests_per_second
    header = (
        f"{'scenario':<24} {'conns':>5} {'req/s':>9} {'p99 ms':>8} {'errors':>6} {'vs ceiling':>10}"
        f" {'CPU us/req':>10} {'busy':>5}"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        report = result.wrk
        lines.append(
            f"{result.scenario.label:<24} {result.scenario.connections:>5} {report.requests_per_second:>9,.0f}"
            f" {report.p99_ms:>8.2f} {result.errors:>6} {report.requests_per_second / ceiling:>10.0%}"
            f" {result.cpu_us_per_request:>10.0f} {result.busy_before:>5.0%}"
        )
    return "\n".join(lines)


def error_details(results: list[Result]) -> list[str]:
    """Where the errors of each scenario that had any came from."""
    return [
        f"{describe(result)}: {result.wrk.non_2xx} non-2xx/3xx, {result.wrk.socket_errors} socket error(s),"
        f" {result.server_errors} error line(s) in the server log"
        for result in results
        if result.errors
    ]


def tool_paths() -> tuple[str, str]:
    """The paths of wrk and taskset; BenchError when one is missing or there is no second core."""
    wrk, taskset = shutil.which("wrk"), shutil.which("taskset")
    if wrk is None:
        raise BenchError("wrk is not installed: install it with `apt-get install -y wrk`")
    if taskset is None:
        raise BenchError("taskset is not installed: install it with `apt-get install -y util-linux`")
    if not {0, 1} <= os.sched_getaffinity(0):
        raise BenchError("the benchmark needs cores 0 (the server) and 1 (wrk and PostgreSQL)")
    return wrk, taskset


def bench(workdir: Path, duration: int, warmup: int, quiet: bool) -> list[Result]:
    """Install the service, prepare its database, then measure the ceiling and every scenario in ROUNDS rounds."""
    wrk, taskset = tool_paths()
    server_url = os.environ.get(SERVER_URL_VARIABLE) or DEFAULT_SERVER_URL
    project, secured, local = install(workdir), install(workdir, auth="oidc"), install(workdir, auth="local")
    with fresh_database(server_url, "bench") as database_url:
        print(f"--- database {urlsplit(database_url).path.lstrip('/')} on {urlsplit(server_url).netloc}", flush=True)
        load = Load(wrk, taskset, duration, warmup, quiet, prepare_database(project, database_url))
        runs = []
        for round_number in range(1, ROUNDS + 1):
            print(f"--- round {round_number} of {ROUNDS}", flush=True)
            runs.append(bench_ceiling(load, project, workdir))
            runs += bench_service(load, project, database_url, SCENARIOS, **AS_PRODUCTION)
            runs += bench_features(load, project, database_url)
            runs += bench_authorized(load, secured, database_url)
            asyncio.run(drop_created(with_database(database_url, "postgresql"), load.id_range[1]))
        # Last: the local copy migrates the database to its accounts revision, which the others do not know.
        for _ in range(ROUNDS):
            runs += bench_local(load, local, database_url)
        return runs


def report(runs: list[Result], started: float) -> int:
    """Print the table of median runs and every missed target; 1 when a target is missed, else 0."""
    results = median_runs(runs)
    print(f"\n{table(results)}")
    print(
        f"(each row: the median of {ROUNDS} rounds by req/s; CPU us/req: the server's CPU time per request;"
        " busy: load on the benchmark cores before the run)\n"
    )
    print(f"GET by id, as production serves it, against the same with each feature off:\n{feature_costs(results)}\n")
    for line in error_details(runs):
        print(f"    {line}")
    missed = missed_targets(results, runs)
    for message in missed:
        print(f"MISSED: {message}")
    verdict = f"{len(missed)} target(s) missed" if missed else "all targets met"
    print(f"--- {verdict}; wall time {time.perf_counter() - started:.0f} s", flush=True)
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and report; 1 when a target is missed, 2 when it cannot run."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement (default 5)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up before each (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the generated project and the server logs")
    parser.add_argument(
        "--quiet-servers",
        action="store_true",
        help="run both servers without uvicorn's access log (default: as the service runs, access log on)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="fastapi-ms-bench-"))
    try:
        runs = bench(workdir, args.duration, args.warmup, args.quiet_servers)
    except (BenchError, GateFailed, IssuingFailed, ValueError, OSError, asyncpg.PostgresError) as failure:
        print(f"BENCH FAILED TO RUN: {failure}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"--- kept {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return report(runs, started)


if __name__ == "__main__":
    sys.exit(main())
