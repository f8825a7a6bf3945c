"""Benchmark the version history: what reading git and building the version pages adds to `mkdocs build`.

    python benchmarks/bench_history.py [--quick] [--repeat R] [--archive N] [--work DIR] [--json FILE]

For N=500 and N=2,000 a synthetic handbook (benchmarks/synthetic.py) gets a realistic history in git:
five commits per steering document over three years, three of them adoptions (a new `revised`, a
changed sentence) and two editorial changes between them, committed twenty documents at a time (as
authors do), written with `git fast-import`. The same files are also copied without `.git`. Both are
built with the handbok plugin, alternating so that machine load hits both alike; the ratio is the
cost of the version history (reading git once, two superseded-version pages and a page of changes
per document). Plain Material on the same Markdown is built too, for the ratio the site issue reports.
Then `handbok arkivera` is timed on a smaller handbook (--archive N documents, all their versions).

--quick uses tiny handbooks (for the smoke test). Every command is printed exactly as it is run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_site  # noqa: E402

FULL, QUICK = [500, 2000], [20]
BATCH = 20  # documents per commit
ROUNDS = (  # (days before the final revision, adoption?) of the five commits of each document; an
    (730, True), (730, False), (365, True), (365, False), (0, True))  # edit keeps the decision's dates
_REVISED = re.compile(r"^(revised|approved): (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def _version_text(text: str, days_back: int, adoption_number: int, editorial: bool) -> str:
    """The document as it was days_back days before its current revision."""
    if days_back == 0:
        return text

    def earlier(match: re.Match) -> str:
        day = dt.date.fromisoformat(match.group(2)) - dt.timedelta(days=days_back)
        return f"{match.group(1)}: {day.isoformat()}"

    old = _REVISED.sub(earlier, text)
    old = old.replace("\n\n", f"\n\nI version {adoption_number} gällde en annan ordning för detta.\n\n", 1)
    return old + ("\nRedaktionell ändring: en länk och ett stavfel rättade.\n" if editorial else "")


def _fast_import(root: Path, docs: list[Path], others: list[Path]) -> int:
    """Write the history with one `git fast-import`; returns the number of commits."""
    final = {path: path.read_text(encoding="utf-8") for path in docs}
    stream: list[bytes] = []
    commits = 0
    start = dt.datetime(2023, 1, 2, 9, tzinfo=dt.UTC)

    def commit(message: str, when: dt.datetime, files: dict[str, bytes]) -> None:
        nonlocal commits
        commits += 1
        data = message.encode()  # later commits on the branch follow the one before (fast-import's rule)
        stream.append(f"commit refs/heads/main\ncommitter Bench <bench@example.invalid> {int(when.timestamp())} "
                      f"+0000\ndata {len(data)}\n".encode() + data + b"\n")
        for rel, content in sorted(files.items()):
            stream.append(f"M 100644 inline {rel}\ndata {len(content)}\n".encode() + content + b"\n")
        stream.append(b"\n")

    commit("Handboken skapad", start, {p.relative_to(root).as_posix(): p.read_bytes() for p in others})
    adoption = 0
    for number, (days_back, adopted) in enumerate(ROUNDS):
        adoption += adopted  # an edit keeps the version's dates and text, and adds a line
        for first in range(0, len(docs), BATCH):
            batch = docs[first:first + BATCH]
            files = {p.relative_to(root).as_posix(): _version_text(final[p], days_back, adoption, not adopted)
                     .encode() for p in batch}
            when = start + dt.timedelta(days=number * 150 + first // BATCH)
            commit("Reviderade rutiner" if adopted else "Redaktionella ändringar", when, files)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    return commits


def with_history(root: Path, n: int) -> dict:
    """A synthetic handbook of n documents in root with a git history; its copy without one in root-utan-git."""
    summary = bench_site.generate(root, n)
    docs_dir = root / "docs"
    governed = sorted(p for p in docs_dir.rglob("*.md") if "evidens" not in p.parts and p.name != "index.md")
    others = sorted(p for p in root.rglob("*") if p.is_file() and p not in governed)
    commits = _fast_import(root, governed, others)
    plain = root.parent / f"{root.name}-utan-git"
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git"))
    print(f"  historik: {commits} commits, {len(ROUNDS)} per styrdokument ({len(governed)} styrdokument)", flush=True)
    return {**summary, "commits": commits, "plain": plain}


def bench(work: Path, n: int, repeat: int) -> dict:
    print(f"\n[1] mkdocs build med och utan versionshistorik, N={n}")
    root = work / f"historik-{n}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    info = with_history(root, n)
    plain: Path = info["plain"]
    configs = {"material": bench_site.site_config(plain, "material", False),
               "utan": bench_site.site_config(plain, "handbok", True),
               "med": bench_site.site_config(root, "handbok", True)}
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(repeat):
        for name, config in configs.items():
            times[name].append(bench_site.run(bench_site.build_cmd(config), config.parent))
    material = bench_site.median_line("Material utan handbok", times["material"])
    without = bench_site.median_line("handbok, utan historik (ingen .git)", times["utan"])
    with_ = bench_site.median_line("handbok, med historik", times["med"])
    pages = {name: sum(1 for _ in (config.parent / "site-handbok").rglob("index.html"))
             for name, config in configs.items() if name != "material"}
    versions = sum(1 for _ in (root / "site-handbok").rglob("*-version-*/index.html"))
    print(f"  Sidor: {pages['utan']} utan historik, {pages['med']} med ({versions} upphävda versioner)")
    print(f"  Kvot med/utan historik vid N={n}: {with_ / without:.2f}; med historik/Material: {with_ / material:.2f}; "
          f"utan historik/Material: {without / material:.2f}", flush=True)
    return {"n": n, "commits": info["commits"], "material_s": material, "without_s": without, "with_s": with_,
            "ratio": with_ / without, "ratio_material": with_ / material, "pages_without": pages["utan"],
            "pages_with": pages["med"], "superseded_pages": versions}


def bench_archive(work: Path, n: int) -> dict:
    print(f"\n[2] handbok arkivera, N={n}")
    root = work / f"arkiv-{n}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    with_history(root, n)
    cmd = [sys.executable, "-m", "handbok", "arkivera", "--today", bench_site.TODAY.isoformat(), "-o", "arkiv"]
    first = bench_site.run(cmd, root)
    files = len(list((root / "arkiv").glob("*.pdf")))
    again = bench_site.run(cmd, root)
    print(f"  {files} arkivexemplar på {first:.1f} s ({first / max(files, 1):.2f} s per fil); en andra körning "
          f"som inte skriver något: {again:.1f} s", flush=True)
    return {"n": n, "files": files, "first_s": first, "second_s": again}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="små handböcker (röktest)")
    parser.add_argument("--repeat", type=int, default=1, help="byggen per variant (median redovisas)")
    parser.add_argument("--archive", type=int, default=50, help="dokument i handboken som arkiveras (0: hoppa över)")
    parser.add_argument("--work", type=Path, help="arbetsmapp (standard: en tillfällig mapp som tas bort)")
    parser.add_argument("--json", type=Path, help="skriv resultaten som JSON hit")
    args = parser.parse_args(argv)
    temp = None if args.work else tempfile.TemporaryDirectory(prefix="handbok-historik-")
    work = args.work or Path(temp.name)  # type: ignore[union-attr]
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = {"builds": [bench(work, n, args.repeat) for n in (QUICK if args.quick else FULL)]}
        if args.archive:
            results["archive"] = bench_archive(work, 4 if args.quick else args.archive)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    finally:
        if temp is not None:
            temp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
