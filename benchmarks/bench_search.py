"""Benchmark search: Material's lunr search against handbok's Pagefind search, in the build and in Chromium.

    python benchmarks/bench_search.py [--quick] [--repeat R] [--work DIR] [--json FILE] [--n N ...]
                                      [--only material|handbok]

1. `mkdocs build` of a synthetic handbook (benchmarks/synthetic.py) at N=2,000 and N=10,000, three ways,
   alternating: plain Material with its lunr `search` plugin; handbok without Material's `search` plugin
   (handbok builds a Pagefind index itself); and handbok with `search: false` (no index at all), so the
   build cost of indexing is visible.
2. Chromium, a fresh context (empty cache) per measurement: the user presses "/" as soon as the page has
   loaded. Time from navigation until search is ready, time from typing to the first result, and the bytes
   transferred until the first result (with the HTML page's and the search files' shares). Requests to other
   hosts than 127.0.0.1 are aborted and counted.
3. Targets: search ready <= 0.25 x Material's and < 0.5 s; < 300 KB fetched by the search (its bundle and
   script; the page and the theme are printed beside it) before the first result at N=10,000.

--quick uses tiny handbooks and two queries (for the smoke test). Every command is printed exactly as it is run.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import shlex
import statistics
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_site  # noqa: E402
from bench_site import CHROMIUM, TODAY  # noqa: E402

SIZES = {"full": [2000, 10_000], "quick": [30, 60]}
QUERIES = ["orosanmälan", "avvikelser", "LVU", "utredning"]
QUICK_QUERIES = QUERIES[:2]
TARGETS = {"ready_ratio": 0.25, "ready_s": 0.5, "bytes_kb": 300, "bytes_n": 10_000}
RESULTS_SELECTOR = "[data-handbok-search-results]"
# The search's own files: Pagefind's bundle (handbok/sok/) and handbok-search.js; Material's index, worker and lunr.
SEARCH_URL = re.compile(r"/(sok|search|lunr)/|pagefind|search[^/]*\.js(\?|$)")
FOREIGN = re.compile(r"^(?!http://127\.0\.0\.1[:/])")  # every URL that is not the local server
SETTLE_MS = 300  # let the last requestfinished events arrive; no timing is taken after the first result
END_SLACK_MS = 5  # request end vs. the page's clock: both are Chromium's wall time, allow rounding

VARIANTS = {"material": "Material med lunr", "handbok": "handbok med Pagefind",
            "handbok-utan-sok": "handbok utan sökning (search: false)"}


@dataclass(frozen=True)
class Engine:
    """How to tell, in the page, that one site's search is ready and has shown its first result."""

    name: str
    label: str
    ready_state_js: str  # JS expression: 'ready' or 'error' once search is ready (or has failed), else null
    state_js: str  # the current state, for messages
    arm_js: str  # takes the query; sets window.__t0 when typing starts and window.__t1 at the first result
    hits_js: str  # what the results say, for the printout
    end_key: str | None  # pressed after insert_text (Material searches on keyup)
    timeout_ms: int


MATERIAL = Engine(
    name="material",
    label="Material (lunr)",
    ready_state_js="""(() => { const m = document.querySelector('.md-search-result__meta');
        return m && m.textContent === 'Skriv sökord' ? 'ready' : null; })()""",
    state_js="() => document.querySelector('.md-search-result__meta')?.textContent ?? 'ingen sökruta'",
    arm_js="""() => {
        const input = document.querySelector('input.md-search__input');
        const list = document.querySelector('.md-search-result__list');
        const meta = document.querySelector('.md-search-result__meta');
        input.addEventListener('keyup', () => { window.__t0 = performance.now(); }, {once: true});
        // First result rendered, or Material says there are none.
        new MutationObserver((_, observer) => {
            if (window.__t0 !== undefined && (list.children.length || meta.textContent === 'Inga sökresultat')) {
                window.__t1 = performance.now(); observer.disconnect(); }
        }).observe(document.querySelector('.md-search-result'),
                   {childList: true, subtree: true, characterData: true});
    }""",
    hits_js="""() => document.querySelector('.md-search-result__meta').textContent + ', '
        + document.querySelectorAll('.md-search-result__list a').length + ' länkar visade'""",
    end_key="End",
    timeout_ms=300_000,  # lunr builds its index in the browser: minutes at N=10,000
)

HANDBOK = Engine(
    name="handbok",
    label="handbok (Pagefind)",
    ready_state_js=f"""(() => {{ const s = document.querySelector('{RESULTS_SELECTOR}')?.dataset.state;
        return s === 'ready' || s === 'error' ? s : null; }})()""",
    state_js=f"""() => {{ const el = document.querySelector('{RESULTS_SELECTOR}');
        return el ? `data-state=${{el.dataset.state}}` : 'inget {RESULTS_SELECTOR} på sidan'; }}""",
    arm_js=f"""(query) => {{
        const el = document.querySelector('{RESULTS_SELECTOR}');
        document.addEventListener('input', () => {{ window.__t0 ??= performance.now(); }},
                                  {{capture: true, once: true}});
        const observer = new MutationObserver(() => {{
            const s = el.dataset.state;
            if (window.__t0 !== undefined && ((s === 'done' && el.dataset.query === query) || s === 'error')) {{
                window.__t1 = performance.now(); window.__failed = s === 'error'; observer.disconnect(); }}
        }});
        observer.observe(el, {{attributes: true, childList: true, subtree: true}});
    }}""",
    hits_js=f"""() => document.querySelector('{RESULTS_SELECTOR}').querySelectorAll('a').length
        + ' länkar visade'""",
    end_key=None,
    timeout_ms=60_000,
)

FIRST_JS = "() => window.__t1 !== undefined && {t0: window.__t0, t1: window.__t1, failed: !!window.__failed}"
READY_JS = "() => window.__ready"
LOAD_JS = "() => performance.getEntriesByType('navigation')[0].loadEventEnd"


def arm_ready_js(engine: Engine) -> str:
    """An init script (runs before the page's own): records window.__key when "/" is pressed and
    window.__ready = {state, t} at the DOM change that makes search ready (no polling delay)."""
    return f"""(() => {{
        window.addEventListener('keydown', (e) => {{ if (e.key === '/') window.__key ??= performance.now(); }},
                                {{capture: true}});
        const check = () => {{
            const state = {engine.ready_state_js};
            if (state && window.__ready === undefined) {{
                window.__ready = {{state, t: performance.now()}}; observer.disconnect(); }}
        }};
        const observer = new MutationObserver(check);
        observer.observe(document, {{childList: true, subtree: true, attributes: true, characterData: true}});
        check();
    }})()"""


# --- builds ---------------------------------------------------------------------------------------------------


def handbok_config(root: Path, name: str, search: bool) -> Path:
    """mkdocs-NAME.yml as bench_site.site_config writes it with handbok, minus Material's `search` plugin.

    handbok provides the search itself (its option `search`, default true); search=False sets it off.
    """
    path = bench_site.site_config(root, name, True)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    plugins = [p for p in config["plugins"] if p != "search" and not (isinstance(p, dict) and "search" in p)]
    if not search:
        for plugin in plugins:
            if isinstance(plugin, dict) and "handbok" in plugin:
                plugin["handbok"]["search"] = False
    config["plugins"] = plugins
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_configs(root: Path, variants: list[str]) -> dict[str, Path]:
    makers = {"material": lambda: bench_site.site_config(root, "material", False),
              "handbok": lambda: handbok_config(root, "handbok", True),
              "handbok-utan-sok": lambda: handbok_config(root, "handbok-utan-sok", False)}
    return {name: makers[name]() for name in variants}


def _pagefind_entries(site: Path) -> list[Path]:
    return sorted(site.rglob("pagefind-entry.json"))


def verify_site(site: Path, variant: str) -> None:
    """Stop with a clear message when a build did not give the search it is meant to measure."""
    if variant == "material" and not (site / "search" / "search_index.json").exists():
        raise SystemExit(f"Material-bygget saknar sökindex: {site / 'search' / 'search_index.json'}")
    if variant == "handbok":
        home = (site / "index.html").read_text(encoding="utf-8")
        if RESULTS_SELECTOR.strip("[]") not in home or not _pagefind_entries(site):
            raise SystemExit(
                f"handbok-webbplatsen {site} har ingen Pagefind-sökning (index.html saknar {RESULTS_SELECTOR} "
                f"eller pagefind-entry.json saknas). Har handbok-pluginets sökning kommit in? Mät bara Material "
                f"med --only material.")
    if variant == "handbok-utan-sok" and _pagefind_entries(site):
        raise SystemExit(f"handbok med search: false byggde ändå ett Pagefind-index ({_pagefind_entries(site)[0]})."
                         f" Känner pluginet till alternativet search?")


def index_size(site: Path, variant: str) -> dict:
    """The search index on disk: Material's search_index.json, or every file of Pagefind's bundle."""
    if variant == "material":
        files = [site / "search" / "search_index.json"]
    elif entries := _pagefind_entries(site):
        files = [p for p in entries[0].parent.rglob("*") if p.is_file()]
    else:
        return {"files": 0, "kb": 0.0}
    return {"files": len(files), "kb": sum(p.stat().st_size for p in files) / 1024}


def bench_builds(root: Path, n: int, repeat: int, variants: list[str]) -> dict:
    print(f"\n[1] mkdocs build, N={n}")
    bench_site.generate(root, n)
    configs = write_configs(root, variants)
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(repeat):
        for name, config in configs.items():  # alternate, so load hits every variant alike
            times[name].append(bench_site.run(bench_site.build_cmd(config), root))
            verify_site(root / f"site-{name}", name)
    result: dict = {"n": n, "times": times}
    for name in configs:
        result[f"{name}_s"] = bench_site.median_line(VARIANTS[name], times[name])
        result[f"{name}_index"] = size = index_size(root / f"site-{name}", name)
        if size["files"]:
            print(f"    sökindex: {size['files']} filer, {size['kb']:.0f} KB")
    if {"material", "handbok"} <= configs.keys():
        result["ratio_material"] = result["handbok_s"] / result["material_s"]
        print(f"  Kvot handbok/Material vid N={n}: {result['ratio_material']:.2f}")
    if {"handbok", "handbok-utan-sok"} <= configs.keys():
        result["ratio_indexing"] = result["handbok_s"] / result["handbok-utan-sok_s"]
        extra = result["handbok_s"] - result["handbok-utan-sok_s"]
        print(f"  Kvot handbok med/utan sökning vid N={n} (byggtid för indexeringen): {result['ratio_indexing']:.2f} "
              f"({extra:+.2f} s)")
    return result


# --- the browser ----------------------------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@contextlib.contextmanager
def serve(site: Path):
    """The built site from a local ThreadingHTTPServer (no compression, like a plain intranet server)."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def wait_for(page, script: str, engine: Engine, what: str) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return page.wait_for_function(script, polling="raf", timeout=engine.timeout_ms).json_value()
    except PlaywrightTimeout:
        state = page.evaluate(engine.state_js)
        raise SystemExit(f"{engine.label}: {what} inom {engine.timeout_ms / 1000:.0f} s ({state})") from None


def response_bytes(request) -> tuple[int, int]:
    """Headers + body as received, and as a server that gzips would send it (estimate: gzip -6 of the body,
    unless that is larger, as for Pagefind's already compressed files). Chromium reports no body size for a
    worker's script: Content-Length then."""
    sizes = request.sizes()
    headers, body = max(sizes["responseHeadersSize"], 0), sizes["responseBodySize"]
    response = request.response()
    if body <= 0:
        body = int(response.headers.get("content-length", 0)) if response else 0
    try:
        packed = min(body, len(gzip.compress(response.body(), 6)))
    except Exception:  # noqa: BLE001 - no body available (a worker's script): count it uncompressed
        packed = body
    return headers + body, headers + packed


def traffic(requests: list, until_ms: float) -> dict:
    """Bytes (headers + body) of the requests that had finished by until_ms (epoch ms); the HTML's and the search
    files' shares."""
    total = packed = html = search = count = 0
    for request in requests:
        timing = request.timing
        end = timing["startTime"] + max(timing["responseEnd"], 0)
        if end > until_ms + END_SLACK_MS:
            continue
        size, size_gzip = response_bytes(request)
        total += size
        packed += size_gzip
        count += 1
        if request.resource_type == "document":
            html += size
        elif SEARCH_URL.search(request.url):
            search += size
    return {"kb": total / 1024, "gzip_kb": packed / 1024, "html_kb": html / 1024, "search_kb": search / 1024,
            "requests": count, "all_requests": len(requests)}


def measure(browser, base: str, engine: Engine, query: str) -> dict:
    """One measurement in a fresh context (empty cache); other hosts than 127.0.0.1 are aborted and counted."""
    context = browser.new_context()
    foreign: list[str] = []
    context.route(FOREIGN, lambda route: (foreign.append(route.request.url), route.abort()))
    finished: list = []
    context.on("requestfinished", lambda request: finished.append(request))
    context.add_init_script(arm_ready_js(engine))
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        result = _measure_page(page, base, engine, query, finished)
        return result | {"foreign": len(foreign), "foreign_urls": foreign[:5]}
    except SystemExit as failure:
        raise SystemExit(f"{failure}" + "".join(f"\n  fel i sidan: {e}" for e in errors[-5:])) from None
    finally:
        context.close()


def _measure_page(page, base: str, engine: Engine, query: str, finished: list) -> dict:
    """Load, press "/", wait until ready, type the query, wait for the first result; then count the bytes."""
    page.goto(base)  # returns once the load event has fired
    page.keyboard.press("/")
    ready = wait_for(page, READY_JS, engine, "sökningen blev inte klar")
    if ready["state"] == "error":
        raise SystemExit(f"{engine.label}: sökningen misslyckades (data-state=error) på {base}")
    page.evaluate(engine.arm_js, query)
    page.keyboard.insert_text(query)
    if engine.end_key:
        page.keyboard.press(engine.end_key)
    first = wait_for(page, FIRST_JS, engine, f"ingen träff för ”{query}”")
    if first["failed"]:
        raise SystemExit(f"{engine.label}: sökningen efter ”{query}” misslyckades (data-state=error)")
    hits = page.evaluate(engine.hits_js)
    page.wait_for_timeout(SETTLE_MS)
    origin = page.evaluate("performance.timeOrigin")
    sent = traffic(finished, origin + first["t1"])
    load_ms, key_ms = page.evaluate(LOAD_JS), page.evaluate("() => window.__key")
    return {"query": query, "ready_s": ready["t"] / 1000, "load_s": load_ms / 1000, "key_s": key_ms / 1000,
            "after_key_s": (ready["t"] - key_ms) / 1000,
            "first_s": (first["t1"] - first["t0"]) / 1000, "hits": hits, **sent}


def summarise(runs: list[dict]) -> dict:
    def med(key):
        return statistics.median(r[key] for r in runs)

    medians = {key: med(key) for key in ("ready_s", "load_s", "key_s", "after_key_s", "first_s", "kb", "gzip_kb",
                                      "html_kb", "search_kb")}
    return {**medians, "ready_first_s": statistics.median(r["ready_s"] + r["first_s"] for r in runs),
            "kb_max": max(r["kb"] for r in runs), "search_kb_max": max(r["search_kb"] for r in runs),
            "foreign": sum(r["foreign"] for r in runs), "runs": runs}


def query_line(r: dict) -> str:
    return (f"”{r['query']}”: klar {r['ready_s']:.3f} s efter navigeringen (sidan laddad {r['load_s']:.3f} s, ”/” "
            f"{r['key_s']:.3f} s, klar {r['after_key_s']:.3f} s efter ”/”), första träff {r['first_s']:.3f} s senare "
            f"({r['hits']}); {bytes_text(r)}, {r['requests']} anrop; anrop till andra värdar: {r['foreign']}"
            + (f" ({', '.join(r['foreign_urls'])})" if r["foreign"] else ""))


def bytes_text(r: dict) -> str:
    return (f"{r['kb']:.0f} KB före träffen (med gzip ungefär {r['gzip_kb']:.0f} KB), varav HTML {r['html_kb']:.0f} KB "
            f"och sökningens filer {r['search_kb']:.0f} KB")


def site_line(r: dict) -> str:
    return (f"klar {r['ready_s']:.3f} s (sidan laddad {r['load_s']:.3f} s, klar {r['after_key_s']:.3f} s efter ”/”), "
            f"första träff {r['first_s']:.3f} s, klar + träff {r['ready_first_s']:.3f} s, {bytes_text(r)} (största "
            f"{r['kb_max']:.0f} KB), anrop till andra värdar än 127.0.0.1: {r['foreign']}")


def bench_browser(site: Path, n: int, engine: Engine, queries: list[str]) -> dict:
    print(f"\n[2] Sökning i Chromium, {engine.label}, N={n}, {site}")
    from playwright.sync_api import sync_playwright

    runs = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=bench_site.CHROMIUM_ARGS)
        try:
            for query in queries:
                runs.append(measure(browser, base, engine, query))
                print(f"  {query_line(runs[-1])}", flush=True)
        finally:
            browser.close()
    result = summarise(runs)
    print(f"  Median: {site_line(result)}", flush=True)
    return result


# --- targets and summary --------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSAT"


def compare(n: int, sites: dict) -> dict:
    """Ratios handbok/Material in the browser and the ready targets, printed."""
    hb, mat = sites["handbok"], sites["material"]
    out = {"ratio_ready": hb["ready_s"] / mat["ready_s"],
           "ratio_ready_first": hb["ready_first_s"] / mat["ready_first_s"]}
    out["ready_ok"] = out["ratio_ready"] <= TARGETS["ready_ratio"] and hb["ready_s"] < TARGETS["ready_s"]
    print(f"  Kvot handbok/Material vid N={n}: klar {out['ratio_ready']:.3f}, klar + första träff "
          f"{out['ratio_ready_first']:.3f}")
    print(f"  Mål sökningen klar ≤ {TARGETS['ready_ratio']} × Materials och < {TARGETS['ready_s']} s vid N={n}: "
          f"{hb['ready_s']:.3f} s mot {mat['ready_s']:.3f} s (efter ”/”: {hb['after_key_s']:.3f} s mot "
          f"{mat['after_key_s']:.3f} s): {verdict(out['ready_ok'])}", flush=True)
    return out


def bytes_target(n: int, handbok: dict) -> dict:
    """The target is judged on what the search itself fetches (its bundle and script): the page, the theme's
    CSS and JS come with every page view, search or not. The whole page load is printed beside it."""
    kb, total = handbok["search_kb_max"], handbok["kb_max"]
    ok = kb < TARGETS["bytes_kb"]
    note = f" (målet gäller N={TARGETS['bytes_n']}; här bara en fingervisning)" if n != TARGETS["bytes_n"] else ""
    print(f"  Mål < {TARGETS['bytes_kb']} KB före första träffen för ett ord vid N={n}: sökningens filer största "
          f"{kb:.0f} KB: {verdict(ok)}{note}; hela sidladdningen med sidan och temat största {total:.0f} KB "
          f"(median {bytes_text(handbok)})", flush=True)
    return {"n": n, "search_kb_max": kb, "kb_max": total, "ok": ok}


def summary_lines(results: dict) -> list[str]:
    before, after = results["load"], results["load_end"]
    lines = [f"maskin: {results['cores']} kärnor, belastning (1 min) {before[0]:.2f} i början, {after[0]:.2f} i slutet"]
    for size in results["sizes"]:
        n, b = size["n"], size["build"]
        parts = [f"{VARIANTS[v]} {b[f'{v}_s']:.2f} s" for v in VARIANTS if f"{v}_s" in b]
        ratios = [f"kvot handbok/Material {b['ratio_material']:.2f}" if "ratio_material" in b else "",
                  f"indexeringens kvot {b['ratio_indexing']:.2f}" if "ratio_indexing" in b else ""]
        lines.append(f"build N={n}: {', '.join(parts)}; {'; '.join(r for r in ratios if r)}".rstrip("; "))
        for name, site in size["browser"].items():
            lines.append(f"sökning N={n}, {name}: {site_line(site)}")
        if "compare" in size:
            c = size["compare"]
            lines.append(f"kvot handbok/Material N={n}: klar {c['ratio_ready']:.3f}, klar + träff "
                         f"{c['ratio_ready_first']:.3f}; mål klar: {verdict(c['ready_ok'])}")
    if "bytes_target" in results:
        t = results["bytes_target"]
        lines.append(f"byte före första träffen N={t['n']}: sökningens filer {t['search_kb_max']:.0f} KB (mål < "
                     f"{TARGETS['bytes_kb']} KB: {verdict(t['ok'])}), hela sidladdningen {t['kb_max']:.0f} KB")
    return lines


# --- main -----------------------------------------------------------------------------------------------------


def bench_size(work: Path, n: int, args, variants: list[str], queries: list[str]) -> dict:
    root = work / f"n{n}"
    size = {"n": n, "build": bench_builds(root, n, args.repeat, variants), "browser": {}}
    for engine in (MATERIAL, HANDBOK):
        if engine.name in variants:
            size["browser"][engine.name] = bench_browser(root / f"site-{engine.name}", n, engine, queries)
    if len(size["browser"]) == 2:
        size["compare"] = compare(n, size["browser"])
    return size


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Mät sökningen: Materials lunr mot handboks Pagefind, i bygget "
                                     "(mkdocs build) och i Chromium (tid tills sökningen är klar, första träffen, "
                                     "överförda byte).")
    parser.add_argument("--quick", action="store_true", help="små handböcker och två sökord (röktest)")
    parser.add_argument("--repeat", type=int, default=1, help="byggen per variant (median redovisas)")
    parser.add_argument("--work", type=Path, help="arbetsmapp (standard: en tillfällig mapp som tas bort)")
    parser.add_argument("--json", type=Path, help="skriv resultaten som JSON hit")
    parser.add_argument("--n", type=int, nargs="+", metavar="N",
                        help="handböckernas storlekar i stället för 2000 10000 (30 60 med --quick)")
    parser.add_argument("--only", choices=["material", "handbok"],
                        help="mät bara den ena webbplatsen (för utveckling; inga kvoter eller mål)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    variants = {"material": ["material"], "handbok": ["handbok", "handbok-utan-sok"]}.get(args.only, list(VARIANTS))
    sizes, queries = (SIZES["quick"], QUICK_QUERIES) if args.quick else (SIZES["full"], QUERIES)
    sizes = args.n or sizes
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} kärnor, belastning {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}, datum {TODAY} (SOURCE_DATE_EPOCH), Chromium {CHROMIUM}")
    print(f"$ {shlex.join([sys.executable, *sys.argv])}")
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} saknas: sökningen mäts i Chromium (Debians paket chromium)")
    results: dict = {"today": TODAY.isoformat(), "quick": args.quick, "cores": os.cpu_count(), "load": load,
                     "queries": queries, "variants": variants, "targets": TARGETS, "sizes": []}
    with tempfile.TemporaryDirectory(prefix="handbok-bench-search-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            results["sizes"].append(bench_size(work, n, args, variants, queries))
    last = results["sizes"][-1]
    if "handbok" in last["browser"]:
        print()
        results["bytes_target"] = bytes_target(last["n"], last["browser"]["handbok"])
    results["load_end"] = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    print("\nSammanfattning:")
    for line in summary_lines(results):
        print(f"  {line}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
