"""Throughput and size of the main pages, as ratios to a trivial route on the same server.

Starts gunicorn on loopback with a fresh SQLite database holding the course and the demo
accounts, logs in as the demo learner, then sends a fixed number of requests from
concurrent clients to /ping (the baseline), the catalogue, a lesson page and a module's
quiz page, then submits filled quiz forms (each client takes the quiz of its own module;
before each submission it opens the quiz page, untimed, which starts a fresh attempt, so
that every submission really grades an attempt). Each page is measured right after a run
of /ping and its ratio taken against that run, in several rounds, since the machine may
be shared. Prints requests per second, p50/p99 latency, each page's median ratio to the
baseline with the spread of the rounds, and the bytes a lesson page costs over the wire
with its CSS and JS. Targets: lesson and quiz pages >= 0.5 of the baseline's throughput,
a submission >= 0.25, a lesson page under 50 KB.

Usage: python bench/pages.py [--requests N] [--clients C] [--workers W] [--rounds R]
"""

import argparse
import gzip
import http.client
import http.cookiejar
import os
import re
import secrets
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


def log_in(base: str, email: str, password: str) -> str:
    """Log in through the real form; return the session cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    opener.open(base + "/login", data=data.encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def load(path: str, cookie: str, total: int, clients: int) -> dict:
    """Send ``total`` GET requests from ``clients`` threads; collect latencies."""
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    per_client = total // clients

    def client() -> None:
        mine = []
        for _ in range(per_client):
            conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "vi"})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                errors.append(response.status)
            conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{path}: {len(errors)} non-200 responses, e.g. {errors[0]}")
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def get(path: str, cookie: str) -> str:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "vi"})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status}")
    return body


def filled_quiz(page: str) -> tuple[str, str]:
    """The action of a quiz page's form and a filled body: the first answer of every
    choice, "1" in every text box, the first match of every list, a sentence per essay."""
    action = re.search(r'<form class="quiz" method="post" action="([^"]+)"', page).group(1)
    fields = [("csrf_token", re.search(r'name="csrf_token" value="([^"]+)"', page).group(1))]
    seen = set()
    for name in re.findall(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="0"', page):
        if name not in seen:
            seen.add(name)
            fields.append((name, "0"))
    fields += [
        (name, "1") for name in re.findall(r'<input id="[^"]+" type="text" name="([^"]+)"', page)
    ]
    fields += [(name, "0") for name in re.findall(r'<select id="[^"]+" name="([^"]+)"', page)]
    fields += [
        (name, "Một câu trả lời.")
        for name in re.findall(r'<textarea id="[^"]+" name="([^"]+)"', page)
    ]
    fields.append(("submit", "1"))
    return action, urllib.parse.urlencode(fields)


def submissions(quizzes: list[str], cookie: str, total: int, clients: int) -> dict:
    """Each client submits its own module's quiz ``total // clients`` times; only the POST
    is timed. Throughput is clients / mean POST latency, as for a page under that load."""
    latencies: list[float] = []
    lock = threading.Lock()
    errors = []

    def client(quiz: str) -> None:
        mine = []
        for _ in range(total // clients):
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

    threads = [threading.Thread(target=client, args=(quiz,)) for quiz in quizzes[:clients]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"quiz submissions: {len(errors)} failed, e.g. {errors[0]}")
    latencies.sort()
    return {
        "rps": len(threads) / statistics.mean(latencies),
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def page_weight(base: str, path: str, cookie: str) -> tuple[int, int]:
    """Bytes of the page with its stylesheets and scripts: as sent, and gzip-compressed."""

    def get(url: str) -> bytes:
        request = urllib.request.Request(base + url, headers={"Cookie": cookie})
        return urllib.request.urlopen(request).read()

    html = get(path)
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    bodies = [html] + [get(a.decode()) for a in assets]
    return sum(len(b) for b in bodies), sum(len(gzip.compress(b)) for b in bodies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

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
    base = f"http://{HOST}:{PORT}"
    try:
        wait_until_up(base + "/ping")
        cookie = log_in(base, "learner@demo.dxacademy.vn", "demo-password")
        home = (
            urllib.request.urlopen(urllib.request.Request(base + "/", headers={"Cookie": cookie}))
            .read()
            .decode()
        )
        lesson = re.search(r'href="(/modules/[^"/]+/[^"]+)"', home) or re.search(
            r'href="(/modules/[^"]+)"', home
        )
        module_page = (
            urllib.request.urlopen(
                urllib.request.Request(base + lesson.group(1), headers={"Cookie": cookie})
            )
            .read()
            .decode()
        )
        lesson_path = re.search(r'href="(/modules/[^"/]+/[^"/]+)"', module_page).group(1)

        modules = list(dict.fromkeys(re.findall(r'href="/modules/([^"/]+)"', home)))
        quizzes = [f"/modules/{slug}/quiz" for slug in modules]
        if len(quizzes) < args.clients:
            raise SystemExit(f"{args.clients} clients need as many modules with a quiz")
        quiz_path = quizzes[0]
        get(quiz_path, cookie)  # starts the attempt that the timed requests resume

        pages = {"trivial /ping": "/ping", "catalogue /": "/", f"lesson {lesson_path}": lesson_path,
                 f"quiz {quiz_path}": quiz_path}  # fmt: skip
        load("/ping", cookie, 200, args.clients)  # warm up every worker
        submissions(quizzes, cookie, 4 * args.clients, args.clients)  # warm up
        # The machine is shared and its speed drifts: each page is measured right after
        # /ping, its ratio taken against that run, in several rounds; medians reported.
        rounds: dict[str, list[dict]] = {name: [] for name in pages}
        rounds["quiz submission (POST)"] = []
        ratios: dict[str, list[float]] = {name: [] for name in rounds}
        per_round = args.requests // args.rounds
        for _ in range(args.rounds):
            for name, path in pages.items():
                baseline = load("/ping", cookie, per_round, args.clients)
                result = (
                    baseline if path == "/ping" else load(path, cookie, per_round, args.clients)
                )
                rounds[name].append(result)
                ratios[name].append(result["rps"] / baseline["rps"])
            baseline = load("/ping", cookie, per_round, args.clients)
            result = submissions(quizzes, cookie, per_round // 4, args.clients)
            rounds["quiz submission (POST)"].append(result)
            ratios["quiz submission (POST)"].append(result["rps"] / baseline["rps"])
        print(f"{args.requests} requests per page in {args.rounds} rounds, each after /ping, "
              f"{args.clients} concurrent clients, gunicorn with {args.workers} workers, "
              "SQLite; medians over the rounds")  # fmt: skip
        print(f"{'page':<45} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}")
        for name, results in rounds.items():
            figures = [statistics.median(r[key] for r in results) for key in ("rps", "p50", "p99")]
            print(f"{name:<45} {figures[0]:>8.0f} {figures[1]:>8.1f} {figures[2]:>8.1f} "
                  f"{statistics.median(ratios[name]):>6.2f}")  # fmt: skip
        raw, compressed = page_weight(base, lesson_path, cookie)
        print(f"lesson page with CSS and JS: {raw / 1024:.1f} KB as sent, "
              f"{compressed / 1024:.1f} KB gzip-compressed (target < 50 KB)")  # fmt: skip
        for name, label, target in [
            (f"lesson {lesson_path}", "lesson page", 0.5),
            (f"quiz {quiz_path}", "quiz page", 0.5),
            ("quiz submission (POST)", "quiz submission", 0.25),
        ]:
            ratio, low, high = statistics.median(ratios[name]), min(ratios[name]), max(ratios[name])
            print(f"{label} throughput ratio {ratio:.2f}, rounds {low:.2f}-{high:.2f} "
                  f"(target >= {target:.2f})")  # fmt: skip
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
