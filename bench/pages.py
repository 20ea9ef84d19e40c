"""Throughput of every page a learner visits, as ratios to a trivial route on the same
server in the same run, and the weight of a lesson page.

Starts gunicorn on loopback with a fresh SQLite database holding the course and the demo
accounts, and logs in as the demo learner, who has taken the maturity assessment (so the
home page carries recommendations). Each page is then loaded for a fixed time by `wrk`
(Debian's package) right after a run of /ping, and its throughput divided by that run's;
the rounds repeat, since the machine may be shared and its speed drifts, and the median
ratio is reported with the spread of the rounds. Quiz submissions are timed by a Python
client that opens the quiz page before each one (untimed, so that every submission grades
a fresh attempt), against a /ping run by the same client.

Targets (docs/architecture.md): every page >= 0.5 of /ping, a submission >= 0.3, a lesson
page's first view <= 12 KB over the wire with its CSS, JS and icons, and its largest text
painted in under 1.5 s on emulated slow 3G (Chromium, when installed).

``--load python`` loads the pages with the Python client instead of wrk (as the first
benchmarks did); it cannot send requests as fast as wrk, so it reports higher ratios.

Usage: python bench/pages.py [--seconds S] [--rounds R] [--connections C] [--workers W]
                             [--load wrk|python]
"""

import argparse
import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST, PORT = "127.0.0.1", 5099
BASE = f"http://{HOST}:{PORT}"
PAGE_TARGET, SUBMISSION_TARGET, WEIGHT_TARGET_KB, PAINT_TARGET_S = 0.5, 0.3, 12, 1.5


def run_flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not start at {url}")


def log_in(email: str, password: str) -> str:
    """Log in through the real form; return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(BASE + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    opener.open(BASE + "/login", data=data.encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def get(path: str, cookie: str) -> str:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "vi"})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status}")
    return body


def wrk(path: str, cookie: str, seconds: int, connections: int) -> dict:
    """Load ``path`` with wrk for ``seconds``; requests per second and latencies (ms)."""
    result = subprocess.run(
        ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
         "-H", f"Cookie: {cookie}", "-H", "Accept-Language: vi", BASE + path],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = result.stdout
    if "Non-2xx or 3xx responses" in out:
        raise SystemExit(f"{path}: wrk saw error responses\n{out}")

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
    }


def python_load(path: str, cookie: str, seconds: float, clients: int) -> dict:
    """Throughput of GET ``path`` from ``clients`` Python threads: the baseline of the
    submissions, timed the same way."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        mine = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            get(path, cookie)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rps": clients / statistics.mean(latencies), **_percentiles(latencies)}


def _percentiles(latencies: list[float]) -> dict:
    latencies = sorted(latencies)
    return {
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
    }


def filled_quiz(page: str) -> tuple[str, str]:
    """The action of a quiz page's form and a filled body: the first answer of every
    choice, "1" in every text box, the first match of every list, a sentence per essay."""
    action = re.search(r'<form class="quiz" method="post" action="([^"]+)"', page).group(1)
    fields = [("csrf_token", re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))]
    for name in dict.fromkeys(re.findall(r'type="(?:radio|checkbox)" name="([^"]+)"', page)):
        fields.append((name, "0" if f'name="{name}" value="0"' in page else "true"))
    fields += [(name, "1") for name in re.findall(r'<input[^>]* type="text" name="([^"]+)"', page)]
    fields += [(name, "0") for name in re.findall(r'<select[^>]* name="([^"]+)"', page)]
    essays = re.findall(r'<textarea[^>]* name="([^"]+)"', page)
    fields += [(name, "Một câu trả lời.") for name in essays]
    fields.append(("submit", "1"))
    return action, urllib.parse.urlencode(fields)


def submissions(quizzes: list[str], cookie: str, seconds: float) -> dict:
    """Each client submits its own module's quiz again and again for ``seconds``; only
    the POST is timed. Throughput is clients / mean POST latency."""
    latencies: list[float] = []
    lock = threading.Lock()
    errors = []
    deadline = time.monotonic() + seconds

    def client(quiz: str) -> None:
        mine = []
        while time.monotonic() < deadline:
            action, body = filled_quiz(get(quiz, cookie))
            conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
            start = time.perf_counter()
            conn.request("POST", action, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            location = response.getheader("Location", "")
            if response.status != 302 or not location.startswith(action):
                errors.append(f"{response.status} {location}")
            conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(quiz,)) for quiz in quizzes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"quiz submissions: {len(errors)} failed, e.g. {errors[0]}")
    return {"rps": len(threads) / statistics.mean(latencies), **_percentiles(latencies)}


def page_weight(path: str, cookie: str) -> tuple[int, int, int]:
    """A page's first view over the wire, with its stylesheets, scripts and icons, as the
    server compresses them for a browser (Brotli); the bytes of its HTML alone; and how
    many of its static files a repeat view fetches again (those not kept for a year)."""

    def fetch(url: str) -> tuple[int, str]:
        request = urllib.request.Request(
            BASE + url, headers={"Cookie": cookie, "Accept-Encoding": "br, gzip"}
        )
        with urllib.request.urlopen(request) as response:
            return len(response.read()), response.headers.get("Cache-Control", "")

    page = get(path, cookie)
    html, _ = fetch(path)
    assets = dict.fromkeys(
        a.split("#")[0] for a in re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    )
    fetched = [fetch(asset) for asset in assets]
    again = sum("immutable" not in cache for _, cache in fetched)
    return html + sum(size for size, _ in fetched), html, again


def largest_paint(path: str, cookie: str) -> float | None:
    """Seconds until the page's largest text is painted in Chromium on emulated slow 3G
    (400 ms latency, 400 kbit/s each way), from a cold cache; None without Chromium or
    Playwright."""
    chromium = "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # the test tools are not installed
        return None
    if not Path(chromium).exists():
        return None

    name, _, value = cookie.partition("=")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies([{"name": name, "value": value, "url": BASE}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
             "uploadThroughput": 400_000 / 8},
        )  # fmt: skip
        page.goto(BASE + path, wait_until="load")
        seconds = page.evaluate(
            """() => new Promise(done => new PerformanceObserver(list => {
                const entries = list.getEntries();
                done(entries[entries.length - 1].startTime / 1000);
            }).observe({type: "largest-contentful-paint", buffered: true}))"""
        )
        browser.close()
    return seconds


def find_pages(cookie: str) -> tuple[dict[str, str], list[str]]:
    """The pages to measure, found the way a learner would follow the links, and the
    quiz of every module (for the submissions)."""
    home = get("/", cookie)
    modules = list(dict.fromkeys(re.findall(r'href="/modules/([^"/]+)"', home)))
    module_page = get(f"/modules/{modules[0]}", cookie)
    lesson = re.search(rf'href="(/modules/{modules[0]}/[^"/]+)"', module_page).group(1)
    start = get("/assessment/", cookie)
    result = re.search(r'href="(/assessment/results/\d+)"', start).group(1)
    quizzes = [f"/modules/{slug}/quiz" for slug in modules]
    get(quizzes[0], cookie)  # starts the attempt that the timed views resume
    pages = {
        "home": "/",
        "module": f"/modules/{modules[0]}",
        "lesson": lesson,
        "quiz": quizzes[0],
        "progress": "/progress",
        "glossary": "/glossary",
        "assessment result": result,
    }
    return pages, quizzes


def report(rounds: dict[str, list[dict]], ratios: dict[str, list[float]], args) -> None:
    print(f"{args.rounds} rounds of {args.seconds:g} s per page, each right after /ping; "
          f"gunicorn with {args.workers} workers, SQLite; pages loaded by {args.load} with "
          f"{args.connections} connections, submissions by {args.connections} Python "
          "clients; medians over the rounds")  # fmt: skip
    print(f"{'page':<22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, results in rounds.items():
        rps, p50, p99 = (
            statistics.median(r[key] for r in results) for key in ("rps", "p50", "p99")
        )
        print(f"{name:<22} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f}")
    print()
    for name, values in ratios.items():
        target = SUBMISSION_TARGET if name == "quiz submission" else PAGE_TARGET
        median = statistics.median(values)
        verdict = "ok" if median >= target else "BELOW TARGET"
        print(f"{name} throughput ratio {median:.2f}, rounds {min(values):.2f}-{max(values):.2f}"
              f" (target >= {target:.2f}) {verdict}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--load", choices=["wrk", "python"], default="wrk")
    args = parser.parse_args()
    if args.load == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("bench needs wrk: apt-get install wrk (or --load python)")
    load = wrk if args.load == "wrk" else python_load

    tmp = Path(tempfile.mkdtemp(prefix="dxa-bench-"))
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "SECRET_KEY": secrets.token_hex(16),
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
    }
    env.pop("REDIS_URL", None)
    run_flask(env, "db", "upgrade")
    run_flask(env, "content", "import")
    run_flask(env, "demo")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind", f"{HOST}:{PORT}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_until_up(BASE + "/ping")
        cookie = log_in("learner@demo.dxacademy.vn", "demo-password")
        pages, quizzes = find_pages(cookie)
        if len(quizzes) < args.connections:
            raise SystemExit(f"{args.connections} clients need as many modules with a quiz")
        for path in ["/ping", *pages.values()]:  # warm every worker's caches
            load(path, cookie, 1, args.connections)
        submissions(quizzes[: args.connections], cookie, 1)

        rounds: dict[str, list[dict]] = {"/ping": [], **{name: [] for name in pages}}
        rounds["quiz submission"] = []
        ratios: dict[str, list[float]] = {name: [] for name in [*pages, "quiz submission"]}
        for _ in range(args.rounds):
            for name, path in pages.items():
                baseline = load("/ping", cookie, args.seconds, args.connections)
                result = load(path, cookie, args.seconds, args.connections)
                rounds["/ping"].append(baseline)
                rounds[name].append(result)
                ratios[name].append(result["rps"] / baseline["rps"])
            baseline = python_load("/ping", cookie, args.seconds, args.connections)
            result = submissions(quizzes[: args.connections], cookie, args.seconds)
            rounds["quiz submission"].append(result)
            ratios["quiz submission"].append(result["rps"] / baseline["rps"])
        report(rounds, ratios, args)
        first, html, again = page_weight(pages["lesson"], cookie)
        print(
            f"lesson page, first view with its CSS, JS and icons: {first / 1024:.1f} KB over "
            f"the wire (target <= {WEIGHT_TARGET_KB} KB); a repeat view fetches the HTML "
            f"({html / 1024:.1f} KB) and {again} other file(s)"
        )
        paint = largest_paint(pages["lesson"], cookie)
        if paint is not None:
            print(
                f"lesson page, largest text painted after {paint:.2f} s on slow 3G "
                f"(target < {PAINT_TARGET_S} s)"
            )
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
