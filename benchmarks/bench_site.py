"""Benchmark the built site: build cost of the handbok plugin, page sizes, `handbok check`, search in Chromium.

    python benchmarks/bench_site.py [--quick] [--repeat R] [--work DIR] [--json FILE] [--profile]

1. `mkdocs build` of a synthetic handbook (benchmarks/synthetic.py) with the handbok plugin and of the
   same Markdown with plain Material (the example handbook's theme and Markdown settings, handbok off),
   at N=500 and N=2,000. Builds alternate, so machine load hits both sides alike. Target: ratio <= 1.15.
2. Page sizes (average and max, document pages and generated overviews) and the search index at
   N=2,000. Target: pages < 150 KB.
3. `handbok check` at N=10,000 (target < 2 s) and at N=2,000, with its ratio to the build.
Search in the browser (Pagefind against Material's lunr) is measured by benchmarks/bench_search.py.

--quick uses tiny handbooks (for the smoke test). Every command is printed exactly as it is run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import synthetic  # noqa: E402

TODAY = dt.date(2026, 4, 1)  # synthetic.DEFAULT_TODAY: review dates are spread around it
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TARGETS = {"build_ratio": 1.15, "page_kb": 150, "check_s": 2.0}
FULL = {"build": [500, 2000], "check": 10_000}
QUICK = {"build": [20, 40], "check": 200}
GENERATED_PREFIXES = ("handbok/", "evidens/omraden/")  # overview pages written by the plugin


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "HANDBOK_DEBUG")}
    noon = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=dt.UTC)
    env.update({"SOURCE_DATE_EPOCH": str(int(noon.timestamp())), "NO_MKDOCS_2_WARNING": "1",
                "PYTHONIOENCODING": "utf-8"})
    return env


def run(cmd: list[str], cwd: Path, ok=(0,)) -> float:
    """Run cmd once and return the wall time; the exact command line is printed first."""
    print(f"  $ (cd {shlex.quote(str(cwd))} && SOURCE_DATE_EPOCH={_env()['SOURCE_DATE_EPOCH']} "
          f"{shlex.join(cmd)})", flush=True)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, encoding="utf-8",
                            errors="replace")
    seconds = time.perf_counter() - start
    if result.returncode not in ok:
        raise SystemExit(f"kommandot misslyckades ({result.returncode}):\n{result.stdout[-2000:]}\n"
                         f"{result.stderr[-4000:]}")
    return seconds


def site_config(root: Path, name: str, handbok: bool) -> Path:
    """mkdocs-NAME.yml with the example handbook's theme and Markdown settings; handbok on or off."""
    example = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins: list = [{"search": {"lang": "sv"}}]
    if handbok:
        plugins.append({"handbok": {"roles_file": "registry/roles.yml", "units_file": "registry/units.yml"}})
    config = {"site_name": "Syntetisk verksamhetshandbok", "docs_dir": "docs", "site_dir": f"site-{name}",
              "theme": example["theme"], "plugins": plugins,
              "markdown_extensions": example.get("markdown_extensions", [])}
    path = root / f"mkdocs-{name}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_cmd(config: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", config.name]


def check_cmd(report: str = "rapport.json") -> list[str]:
    # Exit code 1 = problems found, which a synthetic handbook has on purpose.
    return [sys.executable, "-m", "handbok", "check", "--today", TODAY.isoformat(), "--format", "json", "-o", report,
            "--force"]


def generate(root: Path, n: int) -> dict:
    started = time.perf_counter()
    summary = synthetic.generate(root, n, today=TODAY)
    print(f"  {summary['documents']} dokument ({summary['governed']} styrdokument, {summary['evidence']} "
          f"evidensposter) i {root}, genererade på {time.perf_counter() - started:.1f} s", flush=True)
    return summary


def median_line(label: str, times: list[float]) -> float:
    med = statistics.median(times)
    print(f"  {label}: median {med:.2f} s ({', '.join(f'{t:.2f}' for t in times)})", flush=True)
    return med


def bench_build(root: Path, n: int, repeat: int) -> dict:
    print(f"\n[1] mkdocs build, N={n}")
    generate(root, n)
    configs = {"material": site_config(root, "material", False), "handbok": site_config(root, "handbok", True)}
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(repeat):
        for name, config in configs.items():  # alternate, so load hits both alike
            times[name].append(run(build_cmd(config), root))
    material = median_line("Material utan handbok", times["material"])
    handbok = median_line("Material med handbok", times["handbok"])
    ratio = handbok / material
    print(f"  Kvot handbok/Material vid N={n}: {ratio:.2f} (mål ≤ {TARGETS['build_ratio']:.2f}: "
          f"{'OK' if ratio <= TARGETS['build_ratio'] else 'MISSAT'})", flush=True)
    return {"n": n, "material_s": material, "handbok_s": handbok, "ratio": ratio}


def page_sizes(site: Path) -> dict:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html") if p.name != "404.html"}
    docs = {k: v for k, v in sizes.items() if not k.startswith(GENERATED_PREFIXES)}
    overviews = {k: v for k, v in sizes.items() if k.startswith(GENERATED_PREFIXES)}

    def summary(group: dict) -> dict:
        if not group:
            return {"pages": 0, "avg_kb": 0.0, "max_kb": 0.0, "max_page": None}
        biggest = max(group, key=group.get)
        return {"pages": len(group), "avg_kb": sum(group.values()) / len(group) / 1024,
                "max_kb": group[biggest] / 1024, "max_page": biggest}

    return {"all": summary(sizes), "documents": summary(docs), "overviews": summary(overviews),
            "search_index_kb": search_index_kb(site)}


def search_index_kb(site: Path) -> float | None:
    """The search index on disk: Material's search_index.json (downloaded whole), or handbok's
    Pagefind bundle (downloaded in pieces per query; benchmarks/bench_search.py measures those)."""
    lunr = site / "search" / "search_index.json"
    if lunr.exists():
        return lunr.stat().st_size / 1024
    bundle = site / "handbok" / "sok"
    files = [p for p in bundle.rglob("*") if p.is_file()] if bundle.is_dir() else []
    return sum(p.stat().st_size for p in files) / 1024 if files else None


def report_sizes(root: Path, n: int) -> dict:
    print(f"\n[2] Sidstorlekar och sökindex, N={n}")
    result = {}
    for name in ("material", "handbok"):
        sizes = page_sizes(root / f"site-{name}")
        result[name] = sizes
        index_kb = sizes["search_index_kb"]
        print(f"  {name}: sökindex {'saknas' if index_kb is None else f'{index_kb:.0f} KB'}")
        for group in ("documents", "overviews"):
            s = sizes[group]
            if s["pages"]:
                print(f"    {group}: {s['pages']} sidor, snitt {s['avg_kb']:.1f} KB, störst {s['max_kb']:.1f} KB "
                      f"({s['max_page']})")
    limit = TARGETS["page_kb"]
    docs, over = result["handbok"]["documents"], result["handbok"]["overviews"]
    print(f"  Mål < {limit} KB per sida: dokumentsidor snitt {docs['avg_kb']:.0f} / max {docs['max_kb']:.0f} KB "
          f"{'OK' if docs['max_kb'] < limit else 'MISSAT'}; översiktssidor max {over['max_kb']:.0f} KB "
          f"{'OK' if over['max_kb'] < limit else 'MISSAT'}", flush=True)
    return result


def bench_check(root: Path, n: int, repeat: int, generate_first: bool = True) -> float:
    print(f"\n[3] handbok check, N={n}")
    if generate_first:
        generate(root, n)
    run(check_cmd(), root, ok=(0, 1))  # warm the file cache
    seconds = median_line("handbok check", [run(check_cmd(), root, ok=(0, 1)) for _ in range(repeat)])
    return seconds


def profile_build(root: Path, top: int = 20) -> None:
    """cProfile of the handbok build: where the time goes, in the plugin and overall."""
    import pstats

    print(f"\n[P] cProfile av mkdocs build med handbok i {root}")
    out = root / "handbok-build.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "--quiet", "--clean",
           "-f", "mkdocs-handbok.yml"]
    run(cmd, root)
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats("handbok/", top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="små handböcker (röktest), inga mål bedöms på allvar")
    parser.add_argument("--repeat", type=int, default=1, help="byggen per variant (median redovisas)")
    parser.add_argument("--check-repeat", type=int, default=3, help="körningar av handbok check (median)")
    parser.add_argument("--work", type=Path, help="arbetsmapp (standard: en tillfällig mapp som tas bort)")
    parser.add_argument("--json", type=Path, help="skriv resultaten som JSON hit")
    parser.add_argument("--profile", action="store_true", help="kör cProfile på bygget med handbok vid största N")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} kärnor, belastning {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}, datum {TODAY} (SOURCE_DATE_EPOCH / --today)")
    print(f"$ {shlex.join([sys.executable, *sys.argv])}")
    results: dict = {"today": TODAY.isoformat(), "quick": args.quick, "builds": []}
    with tempfile.TemporaryDirectory(prefix="handbok-bench-site-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes["build"]:
            results["builds"].append(bench_build(work / f"n{n}", n, args.repeat))
        largest = work / f"n{sizes['build'][-1]}"
        results["sizes"] = report_sizes(largest, sizes["build"][-1])
        check_same = bench_check(largest, sizes["build"][-1], args.check_repeat, generate_first=False)
        build_same = results["builds"][-1]["handbok_s"]
        print(f"  Kvot handbok check / mkdocs build med handbok vid N={sizes['build'][-1]}: "
              f"{check_same / build_same:.3f} ({check_same:.2f} s mot {build_same:.2f} s)")
        check_big = bench_check(work / f"check-{sizes['check']}", sizes["check"], args.check_repeat)
        print(f"  Mål < {TARGETS['check_s']:.0f} s vid N={sizes['check']}: "
              f"{'OK' if check_big < TARGETS['check_s'] else 'MISSAT'}; kvot mot bygget vid "
              f"N={sizes['build'][-1]}: {check_big / build_same:.3f}")
        results["check"] = {"n": sizes["check"], "seconds": check_big, "same_n": sizes["build"][-1],
                            "same_n_seconds": check_same, "ratio_to_build_same_n": check_same / build_same}
        if args.profile:
            profile_build(largest)
        print("\nSammanfattning:")
        for b in results["builds"]:
            print(f"  build N={b['n']}: Material {b['material_s']:.2f} s, handbok {b['handbok_s']:.2f} s, "
                  f"kvot {b['ratio']:.2f}")
        docs = results["sizes"]["handbok"]["documents"]
        print(f"  sidor N={sizes['build'][-1]}: snitt {docs['avg_kb']:.0f} KB, max {docs['max_kb']:.0f} KB; "
              f"översikter max {results['sizes']['handbok']['overviews']['max_kb']:.0f} KB; sökindex "
              f"{results['sizes']['handbok']['search_index_kb']:.0f} KB")
        print(f"  handbok check N={sizes['check']}: {check_big:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
