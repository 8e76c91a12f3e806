"""SweepRunner's training against a PyTorch reference, and what bounds it (docs/benchmarks.md, "Training against PyTorch").

Run through bench/against-pytorch.sh, which installs the reference's packages and builds first. Measures, in order:
the models' matrix products through libtorch (gemm-bench); for each model, `sweep train` and the PyTorch reference
(vae_reference.py) in turn, run by run; the peak RSS of an embedded worker (`sweep run`, one slot) per model; a
4-trial MLP sweep with 2 slots x 1 thread, 1 slot x 1 thread and 1 slot x 2 threads; the MLP's products in one thread,
alone and two processes at once (what a second slot can add on this machine); `./sweep run examples/quick.yaml`.
Prints Markdown tables; the full run (no --quick) also adds them, dated, to docs/benchmarks.md. With --only
quick-sweep, only the last of these, --repeat times.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SWEEP_DLL = os.path.join(ROOT, "src/Cli/bin/Release/net10.0/linux-x64/sweep.dll")
GEMM_BENCH_DLL = os.path.join(ROOT, "bench/GemmBench/bin/Release/net10.0/linux-x64/gemm-bench.dll")
REFERENCE = os.path.join(ROOT, "bench/reference/vae_reference.py")
BENCHMARKS_DOC = os.path.join(ROOT, "docs/benchmarks.md")
SECTION = "## Training against PyTorch"
PYTHON = "/usr/bin/python3"  # Debian's, which has python3-torch; another python3 may come first on PATH.
MODELS = ("mlp", "cnn", "cvae")
SLOT_LAYOUTS = ((2, 1), (1, 1), (1, 2))  # (slots, libtorch threads)
MIB = 1024 * 1024


class Finished:
    """A child process that has ended: its output lines with their times since it started, wall time and peak RSS."""

    def __init__(self, argv, lines, stderr, wall, peak_rss, exit_code):
        self.argv, self.lines, self.stderr = argv, lines, stderr
        self.wall, self.peak_rss, self.exit_code = wall, peak_rss, exit_code

    @property
    def stdout(self):
        return "".join(line for _, line in self.lines)

    def time_of(self, pattern, last=False):
        """Seconds since start of the first (or last) output line matching the regular expression."""
        times = [at for at, line in self.lines if re.search(pattern, line)]
        if not times:
            raise RuntimeError(f"no output line matches {pattern!r} in {' '.join(self.argv)}:\n{self.stdout}")
        return times[-1] if last else times[0]


def run(argv, env=None, cwd=ROOT):
    """Runs argv to its end; peak RSS is the kernel's for this process alone (wait4), not its parent's or siblings'."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **(env or {})}, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stderr = []
    reader = threading.Thread(target=lambda: stderr.extend(process.stderr))
    reader.start()
    try:
        lines = [(time.perf_counter() - started, line) for line in process.stdout]
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        # Interrupted (Ctrl-C, or SIGTERM from a timeout): the child goes too, rather than run on alone.
        process.terminate()
        process.wait()
        raise
    wall = time.perf_counter() - started
    process.returncode = exit_code = os.waitstatus_to_exitcode(status)
    reader.join()
    finished = Finished(argv, lines, "".join(stderr), wall, usage.ru_maxrss * 1024, exit_code)
    if exit_code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {exit_code}:\n{finished.stderr[-4000:]}")
    return finished


def median(values):
    return statistics.median(values)


def spread(values, digits=2):
    """'median (min–max)', or the one value."""
    values = list(values)
    if len(values) == 1:
        return f"{values[0]:,.{digits}f}"
    return f"{median(values):,.{digits}f} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def steady_epoch(seconds):
    """The median epoch after the first (which pays for warming up); the first when there is only one."""
    return median(seconds[1:] or seconds)


class Harness:
    def __init__(self, options, scratch):
        self.options, self.scratch = options, scratch
        self.threads = options.threads
        self.train_limit = options.train_limit
        self.reference_env = {"OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": str(self.threads),
                              "OPENBLAS_NUM_THREADS": str(self.threads)}

    def sweep_train(self, model, index):
        argv = ["dotnet", SWEEP_DLL, "train", "--json", "--profile", "--model", model, "--optimizer", "adam",
                "--epochs", str(self.options.epochs), "--seed", "0", "--threads", str(self.threads),
                "--out", os.path.join(self.scratch, f"train-{model}-{index}")]
        if self.train_limit:
            argv += ["--train-limit", str(self.train_limit)]
        if self.options.quick:
            # The end-of-run analysis is not timed; a smaller IWAE estimate keeps the smoke run short.
            argv += ["--iwae-examples", "100", "--iwae-samples", "5"]
        finished = run(argv)
        result = json.loads(finished.stdout)
        seconds = [epoch["seconds"] for epoch in result["epochs"]]
        return {"epochs": seconds, "steady": steady_epoch(seconds), "test_total": result["epochs"][-1]["test"]["total"],
                "peak_rss": finished.peak_rss, "profile": result["profile"]}

    def reference_train(self, model):
        argv = [PYTHON, REFERENCE, "--model", model, "--epochs", str(self.options.epochs), "--threads", str(self.threads)]
        if self.train_limit:
            argv += ["--train-limit", str(self.train_limit)]
        finished = run(argv, env=self.reference_env)
        result = json.loads(finished.stdout)
        if not any("libopenblas" in os.path.basename(path) for path in result["blas"]):
            raise RuntimeError(f"the reference did not load OpenBLAS (BLAS mapped: {result['blas']}); "
                               "install libopenblas0-pthread (bench/against-pytorch.sh does)")
        seconds = [epoch["seconds"] for epoch in result["epochs"]]
        return {"epochs": seconds, "steady": steady_epoch(seconds), "test_total": result["test"]["total"],
                "peak_rss": finished.peak_rss, "parameters": result["parameters"], "torch": result["torch"],
                "blas": result["blas"]}

    def gemms(self):
        argv = ["dotnet", GEMM_BENCH_DLL, "--models", ",".join(self.options.models), "--threads", str(self.threads),
                "--train-images", str(self.train_limit or 60_000)]
        return json.loads(run(argv).stdout)

    def compare(self, gemms):
        """Each model's two implementations in turn, run by run; the parameters checked equal on the first pair."""
        pairs = {model: [] for model in self.options.models}
        for index in range(self.options.repeat):
            for model in self.options.models:
                ours = self.sweep_train(model, index)
                theirs = self.reference_train(model)
                expected = gemms["models"][model]["parameters"]
                if theirs["parameters"] != expected:
                    raise RuntimeError(f"{model}: the reference's parameters {theirs['parameters']} are not SweepRunner's {expected}")
                log(f"{model} #{index}: SweepRunner epochs {rounded(ours['epochs'])} s, PyTorch {rounded(theirs['epochs'])} s")
                pairs[model].append((ours, theirs))
        return pairs

    def worker_peak_rss(self, model):
        """Peak RSS of `sweep run` training one trial of the model with one slot: coordinator and worker in one process."""
        sweep_file = self.write_sweep(f"rss-{model}", {"model": f"value: {model}", "optimizer": "value: adam", "seed": "value: 0"})
        finished = run(["dotnet", SWEEP_DLL, "run", sweep_file, "--json", "--workers", "1", "--threads", str(self.threads),
                        "--db", os.path.join(self.scratch, f"rss-{model}", "sweep.db")])
        return finished.peak_rss

    def slots(self):
        """Trials per minute of a 4-trial MLP sweep per slot layout, layouts in turn, repeat times."""
        sweep_file = self.write_sweep("slots", {"model": "value: mlp", "seed": "values: [0, 1, 2, 3]"}, epochs=1)
        measured = {layout: [] for layout in SLOT_LAYOUTS}
        for index in range(self.options.repeat):
            for slots, threads in SLOT_LAYOUTS:
                finished = run(["dotnet", SWEEP_DLL, "run", sweep_file, "--workers", str(slots), "--threads", str(threads),
                                "--db", os.path.join(self.scratch, f"slots-{slots}x{threads}-{index}", "sweep.db")])
                span = finished.time_of(r"^trial \d+ (completed|stopped|failed)", last=True) - finished.time_of(r"^trial \d+ started")
                measured[(slots, threads)].append({"per_minute": 4 * 60 / span, "span": span, "wall": finished.wall})
                log(f"{slots} slot(s) x {threads} thread(s) #{index}: 4 trials in {span:.1f} s ({finished.wall:.1f} s wall)")
        return measured

    def pair_ceiling(self):
        """
        What a second single-thread process adds on this machine: gemm-bench's MLP products with 1 thread, alone and
        two at once, in turn, repeat times. Cores that share their vector units (SMT siblings) add little to matmul-bound
        work, which bounds what 2 slots x 1 thread can gain over 1 x 1.
        """
        argv = ["dotnet", GEMM_BENCH_DLL, "--models", "mlp", "--threads", "1", "--rounds", "20"]

        def gflops():
            return json.loads(run(argv).stdout)["models"]["mlp"]["matmul_gflops"]

        measured = []
        for index in range(self.options.repeat):
            alone = gflops()
            with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
                together = sum(pool.map(lambda _: gflops(), range(2)))
            measured.append({"alone": alone, "together": together})
            log(f"MLP products, 1 thread #{index}: {alone:.0f} GFLOP/s alone, {together:.0f} two at once")
        return measured

    def quick_sweep(self):
        """`./sweep run examples/quick.yaml` with nothing to build: first epoch's line, start-up, training, the rest."""
        run([os.path.join(ROOT, "sweep"), "validate", "examples/quick.yaml"])  # builds first if an input changed
        runs = []
        for index in range(self.options.repeat):
            finished = run([os.path.join(ROOT, "sweep"), "run", "examples/quick.yaml",
                            "--db", os.path.join(self.scratch, f"quick-{index}", "sweep.db")])
            startup = finished.time_of(r"^API: ")
            first_epoch = finished.time_of(r"^trial \d+ epoch 1/")
            training = finished.time_of(r"^trial \d+ (completed|stopped|failed)", last=True) - finished.time_of(r"^trial \d+ started")
            runs.append({"wall": finished.wall, "first_epoch": first_epoch, "startup": startup, "training": training,
                         "rest": finished.wall - startup - training})
            log(f"quick.yaml #{index}: {finished.wall:.1f} s (first epoch at {first_epoch:.1f} s, start-up {startup:.1f} s, "
                f"training {training:.1f} s)")
        return runs

    def write_sweep(self, name, parameters, epochs=None):
        folder = os.path.join(self.scratch, name)
        os.makedirs(folder, exist_ok=True)
        lines = [f"name: {name}", "method: grid", "metric:", "  name: test.total", "  goal: minimize",
                 f"epochs: {epochs or self.options.epochs}"]
        if self.train_limit:
            lines.append(f"train_limit: {self.train_limit}")
        lines.append("parameters:")
        for key, value in parameters.items():
            lines += [f"  {key}:", f"    {value}"]
        path = os.path.join(folder, "sweep.yaml")
        with open(path, "w", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
        return path


def openblas_name(paths):
    """libopenblasp-r0.3.21.so of the BLAS libraries the reference had mapped."""
    return next(os.path.basename(path) for path in paths if "libopenblas" in os.path.basename(path))


def rounded(seconds):
    return "[" + ", ".join(f"{s:.2f}" for s in seconds) + "]"


def log(message):
    print(message, file=sys.stderr, flush=True)


def training_tables(options, gemms, pairs, worker_rss):
    rows = ["| model | parameters | SweepRunner epoch s | PyTorch epoch s | ratio SR/PT | test total SR / PT |",
            "|---|---|---|---|---|---|"]
    for model, runs in pairs.items():
        ours, theirs = [p[0]["steady"] for p in runs], [p[1]["steady"] for p in runs]
        ratios = [o / t for o, t in zip(ours, theirs)]
        rows.append(f"| {model} | {gemms['models'][model]['parameter_count']:,} | {spread(ours)} | {spread(theirs)} | "
                    f"{spread(ratios)} | {median([p[0]['test_total'] for p in runs]):.2f} / "
                    f"{median([p[1]['test_total'] for p in runs]):.2f} |")

    rows += ["", "| model | MFLOP per image | libtorch GEMM GFLOP/s | matmul floor s | SweepRunner GFLOP/s | "
                 "SweepRunner non-matmul share | PyTorch GFLOP/s |", "|---|---|---|---|---|---|---|"]
    images = options.train_limit or 60_000
    for model, runs in pairs.items():
        described = gemms["models"][model]
        work = described["flops_per_image"] * images
        ours = median([p[0]["steady"] for p in runs])
        theirs = median([p[1]["steady"] for p in runs])
        floor = described["matmul_floor_seconds"]
        rows.append(f"| {model} | {described['flops_per_image'] / 1e6:.2f} | {described['matmul_gflops']:.1f} | {floor:.2f} | "
                    f"{work / ours / 1e9:.1f} | {max(0.0, 1 - floor / ours):.0%} | {work / theirs / 1e9:.1f} |")

    phases = ["data", "forward", "backward", "optimizer", "evaluation", "collection", "other"]
    rows += ["", "| model | " + " | ".join(phases) + " | training loop |", "|---|" + "---|" * (len(phases) + 1)]
    for model, runs in pairs.items():
        profiles = [p[0]["profile"] for p in runs]
        loop = [sum(profile[phase] for phase in phases if phase != "evaluation") for profile in profiles]
        rows.append(f"| {model} | " + " | ".join(spread([profile[phase] for profile in profiles]) for phase in phases) +
                    f" | {spread(loop)} |")

    rows += ["", "| model | peak RSS MiB, `sweep train` | peak RSS MiB, worker (`sweep run`, 1 slot) | peak RSS MiB, PyTorch |",
             "|---|---|---|---|"]
    for model, runs in pairs.items():
        worker = f"{worker_rss[model] / MIB:,.0f}" if model in worker_rss else "—"
        rows.append(f"| {model} | {spread([p[0]['peak_rss'] / MIB for p in runs], 0)} | {worker} | "
                    f"{spread([p[1]['peak_rss'] / MIB for p in runs], 0)} |")
    return rows


def gemm_table(gemms):
    rows = ["| model | layer | product | M × K × N | GFLOP/s |", "|---|---|---|---|---|"]
    for model, described in gemms["models"].items():
        for gemm in described["gemms"]:
            rows.append(f"| {model} | {gemm['layer']} | {gemm['product']} | {gemm['m']} × {gemm['k']} × {gemm['n']} | "
                        f"{gemm['gflops']:.3g} |")
    return rows


def slot_table(measured, ceiling):
    rows = ["| layout | trials/min | 4 trials, first start → last end, s | wall s |", "|---|---|---|---|"]
    for (slots, threads), runs in measured.items():
        rows.append(f"| {slots} slot{'s' if slots > 1 else ''} × {threads} thread{'s' if threads > 1 else ''} | "
                    f"{spread([r['per_minute'] for r in runs], 1)} | {spread([r['span'] for r in runs], 1)} | "
                    f"{spread([r['wall'] for r in runs], 1)} |")
    per_minute = {layout: median([r["per_minute"] for r in runs]) for layout, runs in measured.items()}
    rows += ["", "| what | 2 slots × 1 thread against 1 × 1 |", "|---|---|",
             f"| the sweep's trials per minute | {per_minute[(2, 1)] / per_minute[(1, 1)]:.2f} × |",
             f"| the MLP's products in one thread: two processes at once against one alone (gemm-bench) | "
             f"{spread([r['together'] / r['alone'] for r in ceiling])} × ({spread([r['alone'] for r in ceiling], 0)} → "
             f"{spread([r['together'] for r in ceiling], 0)} GFLOP/s) |"]
    return rows


def quick_table(runs):
    return ["| wall s | first epoch's line, s after the command | start-up s | training s | the rest s |", "|---|---|---|---|---|",
            f"| {spread([r['wall'] for r in runs])} | {spread([r['first_epoch'] for r in runs])} | {spread([r['startup'] for r in runs])} | "
            f"{spread([r['training'] for r in runs])} | {spread([r['rest'] for r in runs])} |"]


def machine():
    fields = dict(line.split(":", 1) for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout.splitlines()
                  if ":" in line)
    fields = {name.strip(): value.strip() for name, value in fields.items()}
    # A virtual machine's model name may be the vendor's line alone ("AMD EPYC"): the family and model tell its
    # generations apart, whose ratios differ.
    cpu = fields.get("Model name", "unknown CPU")
    if "CPU family" in fields and "Model" in fields:
        cpu += f" (family {fields['CPU family']}, model {fields['Model']})"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.strip()
    return cpu, commit + (" (with uncommitted changes)" if dirty else "")


def check_reference_models():
    """The reference's unit tests (parameters against gemm-bench's), before anything is timed."""
    suite = unittest.defaultTestLoader.discover(os.path.dirname(__file__), pattern="test_*.py")
    if not unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite).wasSuccessful():
        raise SystemExit("the reference's tests failed")


def write_section(heading, body):
    """Adds the dated measurements at the end of the section SECTION of docs/benchmarks.md."""
    with open(BENCHMARKS_DOC, encoding="utf-8") as file:
        text = file.read()
    start = text.index(SECTION)
    following = text.find("\n## ", start + len(SECTION))
    end = len(text) if following < 0 else following + 1
    insert = f"{heading}\n\n" + "\n".join(body) + "\n\n"
    text = text[:end].rstrip("\n") + "\n\n" + insert + text[end:]
    with open(BENCHMARKS_DOC, "w", encoding="utf-8") as file:
        file.write(text.rstrip("\n") + "\n")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="SweepRunner's training against PyTorch (docs/benchmarks.md)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 1,280 training images, 2 epochs, 1 repetition; prints only")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of mlp,cnn,cvae")
    parser.add_argument("--repeat", type=int, help="runs of each measurement [default: 3; --quick: 1]")
    parser.add_argument("--epochs", type=int, help="epochs per training run [default: 3; --quick: 2]")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads of both implementations [default: 2]")
    parser.add_argument("--only", choices=["quick-sweep"],
                        help="quick-sweep: only `./sweep run examples/quick.yaml`, --repeat times (a target with little "
                             "margin, measured again on its own in a few minutes)")
    options = parser.parse_args(argv)
    options.models = options.models.split(",")
    if unknown := set(options.models) - set(MODELS):
        parser.error(f"--models: unknown {', '.join(sorted(unknown))}; expected some of {', '.join(MODELS)}")
    options.repeat = options.repeat or (1 if options.quick else 3)
    options.epochs = options.epochs or (2 if options.quick else 3)
    options.train_limit = 1280 if options.quick else None
    return options


def main(argv):
    # SIGTERM (a timeout's) as an exception, so that the running child is stopped and the scratch folder deleted.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    options = parse_arguments(argv)
    if options.only == "quick-sweep":
        return quick_sweep_only(options, argv)
    check_reference_models()
    cpu, commit = machine()
    load_before = os.getloadavg()[0]
    scratch = tempfile.mkdtemp(prefix="sweeprunner-against-pytorch-")
    try:
        harness = Harness(options, scratch)
        log("timing the models' matrix products (gemm-bench)…")
        gemms = harness.gemms()
        log("training: SweepRunner and PyTorch in turn…")
        pairs = harness.compare(gemms)
        log("peak RSS of a worker (sweep run, one slot)…")
        # A worker's trial ends with the full analysis (IWAE on 1,000 images), minutes for the CNNs on a busy machine:
        # the smoke run measures the first model's only.
        worker_rss = {model: harness.worker_peak_rss(model) for model in options.models[:1 if options.quick else None]}
        log("slots: 4 MLP trials per layout…")
        slots = harness.slots()
        log("a second single-thread process: the MLP's products alone and two at once…")
        ceiling = harness.pair_ceiling()
        log("./sweep run examples/quick.yaml…")
        quick = harness.quick_sweep()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    reference = next(iter(pairs.values()))[0][1]
    images = options.train_limit or 60_000
    heading = (f"### Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}")
    body = [f"{cpu}, {os.cpu_count()} cores, load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after; "
            f"`bench/against-pytorch.sh {' '.join(argv)}`: {images:,} training images, {options.epochs} epochs per run, "
            f"{options.repeat} run(s) of each, {options.threads} threads; PyTorch {reference['torch']} with "
            f"{openblas_name(reference['blas'])}.", "", *training_tables(options, gemms, pairs, worker_rss),
            "", *slot_table(slots, ceiling), "", "`./sweep run examples/quick.yaml`, nothing to build:", "", *quick_table(quick),
            "", "<details><summary>libtorch's throughput per matrix product</summary>", "", *gemm_table(gemms), "",
            "</details>"]
    print(heading + "\n\n" + "\n".join(body))
    if not options.quick:
        write_section(heading, body)
        log(f"added to {os.path.relpath(BENCHMARKS_DOC, ROOT)}")
    return 0


def quick_sweep_only(options, argv):
    """`--only quick-sweep`: the quick.yaml table alone, under a heading of its own."""
    cpu, commit = machine()
    load_before = os.getloadavg()[0]
    scratch = tempfile.mkdtemp(prefix="sweeprunner-against-pytorch-")
    try:
        log("./sweep run examples/quick.yaml…")
        quick = Harness(options, scratch).quick_sweep()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    heading = f"### Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}: quick.yaml alone"
    body = [f"{cpu}, {os.cpu_count()} cores, load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after; "
            f"`bench/against-pytorch.sh {' '.join(argv)}`: {options.repeat} run(s).", "",
            "`./sweep run examples/quick.yaml`, nothing to build:", "", *quick_table(quick), "",
            f"First epoch's line within 3 s in {sum(r['first_epoch'] <= 3 for r in quick)} of {len(quick)} runs; "
            f"the whole sweep within 6 s in {sum(r['wall'] <= 6 for r in quick)}."]
    print(heading + "\n\n" + "\n".join(body))
    if not options.quick:
        write_section(heading, body)
        log(f"added to {os.path.relpath(BENCHMARKS_DOC, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
