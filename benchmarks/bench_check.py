"""Benchmark `handbok check` and the site build on synthetic handbooks.

    python benchmarks/bench_check.py [--n-check 10000] [--n-build 2000] [--repeat 3] [--work DIR]

1. `handbok check` on N=10,000 documents, in-process (cli.main) and as a subprocess
   (what CI runs); the budget is 2 s for the subprocess.
2. `mkdocs build` of N=2,000 documents for each variant in BUILD_VARIANTS, and
   `handbok check` on the same documents; ratios are measured in the same run, so a
   slow or busy machine affects both sides alike.
Every command line is printed exactly as it is run. --today is fixed so that runs compare.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

TODAY = "2026-04-01"
CHECK_BUDGET_S = 2.0

# Site variants for `mkdocs build`: name -> the body of the `plugins:` list in mkdocs.yml.
# The first is the baseline the others are compared with. Adding a variant is one line.
BUILD_VARIANTS = {
    "material": "  - search\n",
}


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "HANDBOK_DEBUG")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def time_subprocess(cmd: list[str], cwd: Path, repeat: int, ok=(0, 1)) -> list[float]:
    print(f"  $ (cd {shlex.quote(str(cwd))} && {shlex.join(cmd)})", flush=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in ok:
            raise SystemExit(f"kommandot misslyckades ({result.returncode}):\n"
                             f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return times


def time_in_process(argv: list[str], cwd: Path, repeat: int) -> list[float]:
    from handbok.cli.main import main

    print(f"  >>> os.chdir({str(cwd)!r}); handbok.cli.main.main({argv!r})", flush=True)
    old = Path.cwd()
    times = []
    try:
        os.chdir(cwd)
        for _ in range(repeat):
            start = time.perf_counter()
            code = main(list(argv))
            times.append(time.perf_counter() - start)
            if code not in (0, 1):
                raise SystemExit(f"handbok check gav felkod {code}")
    finally:
        os.chdir(old)
    return times


def show(label: str, times: list[float]) -> float:
    best, median = min(times), statistics.median(times)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"  {label}: bäst {best:.2f} s, median {median:.2f} s  ({len(times)} körningar: {runs})", flush=True)
    return median


def check_command(report: Path) -> list[str]:
    return ["check", "--today", TODAY, "--format", "json", "-o", str(report), "--force"]


def bench_check(work: Path, n: int, repeat: int) -> float:
    root = work / f"check-{n}"
    started = time.perf_counter()
    summary = synthetic.generate(root, n)
    print(f"\n[1] handbok check, {summary['documents']} dokument i {root} "
          f"(genererade på {time.perf_counter() - started:.1f} s)")
    report = root / "rapport.json"
    argv = check_command(report)
    time_subprocess([sys.executable, "-m", "handbok", *argv], root, 1)  # warm the file cache
    inproc = show("i processen (cli.main)", time_in_process(argv, root, repeat))
    sub = show("som underprocess", time_subprocess([sys.executable, "-m", "handbok", *argv], root, repeat))
    verdict = "OK" if sub < CHECK_BUDGET_S else "FÖR LÅNGSAMT"
    print(f"  budget {CHECK_BUDGET_S:.1f} s för underprocessen: {verdict} "
          f"(median {sub:.2f} s, i processen {inproc:.2f} s)")
    return sub


def bench_build(work: Path, n: int, repeat: int) -> None:
    root = work / f"build-{n}"
    summary = synthetic.generate(root, n)
    print(f"\n[2] mkdocs build jämfört med handbok check, {summary['documents']} dokument i {root}")
    results: dict[str, float] = {}
    for name, plugins in BUILD_VARIANTS.items():
        config = root / f"mkdocs-{name}.yml"
        config.write_text(synthetic.mkdocs_yml(plugins, site_dir=f"site-{name}"), encoding="utf-8")
        print(f" {name}:")
        results[name] = show("mkdocs build", time_subprocess(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", config.name], root, repeat, ok=(0,)))
    print(" handbok check:")
    check = show("handbok check", time_subprocess(
        [sys.executable, "-m", "handbok", *check_command(root / "rapport.json")], root, repeat))
    baseline_name = next(iter(BUILD_VARIANTS))
    baseline = results[baseline_name]
    print(f"\n  Kvoter (median, samma körning; bas = {baseline_name} {baseline:.2f} s):")
    for name, seconds in results.items():
        if name != baseline_name:
            print(f"    {name} / {baseline_name}: {seconds / baseline:.2f}  ({seconds:.2f} s mot {baseline:.2f} s)")
    print(f"    handbok check / {baseline_name}: {check / baseline:.2f}  ({check:.2f} s mot {baseline:.2f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-check", type=int, default=10_000)
    parser.add_argument("--n-build", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3, help="körningar per mätning (median redovisas)")
    parser.add_argument("--build-repeat", type=int, default=1, help="körningar per mkdocs build")
    parser.add_argument("--work", type=Path, help="arbetsmapp (standard: en tillfällig mapp som tas bort)")
    parser.add_argument("--skip-build", action="store_true", help="mät bara handbok check")
    args = parser.parse_args(argv)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} kärnor"
          + (f", belastning {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}" if load else "") + f", --today {TODAY}")
    with tempfile.TemporaryDirectory(prefix="handbok-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sub = bench_check(work, args.n_check, args.repeat)
        if not args.skip_build:
            bench_build(work, args.n_build, args.build_repeat)
    return 0 if sub < CHECK_BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
