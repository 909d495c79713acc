"""`make bench`: run every benchmark in bench/ against the production shape
(gunicorn, PostgreSQL, Redis) and print one JSON object of figures as the
last line. `--quick` keeps the whole run under five minutes.

Each benchmark is a script of its own that prints its figures as a JSON
object on its last line; this runner only orchestrates and merges, so each
can also be run alone while tuning."""

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.server import bench_env, ensure_database  # noqa: E402

# Run order: cheap and independent first.
BENCHMARKS = [
    "zones_bench",
    "api_bench",
    "ratelimit_bench",
    "tokens_page_bench",
    "syslog_bench",
    "syslog_page_bench",
    "load",
]


def run_one(name: str, quick: bool, env: dict[str, str]) -> dict:
    script = HERE / f"{name}.py"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(script), *(["--quick"] if quick else [])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(result.stderr[-4000:])
    lines = [line for line in result.stdout.strip().splitlines() if line.strip()]
    if result.returncode != 0 or not lines:
        return {f"{name}_status": f"failed (exit {result.returncode})"}
    sys.stderr.write(f"{name}: {time.monotonic() - started:.1f} s\n")
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller data sets; under five minutes")
    parser.add_argument("--only", nargs="*", default=None, help="run only these benchmarks")
    args = parser.parse_args()
    env = bench_env()
    ensure_database(env)
    figures: dict = {
        "machine": {
            "cpus": __import__("os").cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "quick": args.quick,
    }
    for name in args.only or BENCHMARKS:
        figures.update(run_one(name, args.quick, env))
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
