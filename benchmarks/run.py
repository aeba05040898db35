"""nblib's speed next to PyTorch, scikit-learn and the machine's limit: python benchmarks/run.py [--quick]

Prints a table, then one last line of JSON with the figures the project tracks.
Ratios are measured with one BLAS/compute thread for every implementation, taking
turns run by run (on a shared machine two-thread timings jump between speeds),
as the median of several runs after a warm-up; two-thread figures follow, for
information. Peers that are not installed are reported as skipped.
The explorers are also timed where the reader is, in JupyterLab in headless Chromium
(browser_*_ms: from the release of a key on the η slider to the new image, stamped in the
page; skipped without Chromium).
--quick runs everything once on tiny sizes, to prove the benchmark still works.
"""

import os
import sys

if __name__ == "__main__" and "--child-threads" not in sys.argv:
    # One BLAS thread, set before numpy is first imported (here and in every child process).
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    os.environ.setdefault("MPLBACKEND", "Agg")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from implementations import CONV_IMPLEMENTATIONS, IMPLEMENTATIONS, available  # noqa: E402

TARGETS = {
    "ratio_torch_A_f32": (">=", 2), "ratio_sklearn_A_f32": (">=", 2), "ratio_torch_B_f32": (">=", 1.5),
    "ratio_sklearn_B_f32": (">=", 1.5), "matmul_fraction_B_f32": (">=", 0.5), "explorer_ms": ("<=", 100),
    "playground_ms": ("<=", 100), "browser_explorer_ms": ("<=", 80), "browser_playground_ms": ("<=", 100),
    "browser_train_100_ms": ("<=", 400), "import_s": ("<=", 0.15), "book_s": ("<=", 120), "audio_s": ("<=", 5),
    "audio_peak_mb": ("<=", 200), "ratio_loop_A": (">=", 1), "ratio_librosa_logmel": (">=", 3),
    "ratio_torch_conv_f32": (">=", 1), "conv_epoch_s": (None, None),
    "mic_to_prediction_ms": ("<=", 300),
}


def problems(quick):
    """Problem A: 500 two-dimensional points in 3 classes, 2-16-16-3, full batch, 300 epochs.
    Problem B: 4000 samples × 640 features in 10 classes, 640-128-64-10, batch 64, 10 epochs."""
    from nblib.datasets import spiral

    X_a, y_a = spiral(60 if quick else 500, noise=0.1, seed=0, n_classes=3)
    rng = np.random.default_rng(1)
    n_b = 256 if quick else 4000
    centres = rng.normal(size=(10, 640))
    y_b = np.arange(n_b) % 10
    X_b = centres[y_b] + 2.0 * rng.normal(size=(n_b, 640))
    return {
        "A": dict(sizes=[2, 16, 16, 3], X=X_a, y=y_a, epochs=5 if quick else 300, batch_size=None, learning_rate=0.1),
        "B": dict(sizes=[640, 128, 64, 10], X=X_b, y=y_b, epochs=1 if quick else 10, batch_size=64, learning_rate=0.01),
    }


def time_training(problem, names, dtype, repeats, threads=1):
    """Median seconds per implementation; implementations take turns in every round."""
    from contextlib import nullcontext

    limits = nullcontext()
    if available("sklearn"):
        from threadpoolctl import threadpool_limits

        limits = threadpool_limits(threads)
    if available("torch"):
        import torch

        torch.set_num_threads(threads)
    times = {name: [] for name in names}
    with limits:
        for round_number in range(repeats + 1):  # round 0 is the warm-up
            for name in names:
                seconds = IMPLEMENTATIONS[name](problem["sizes"], problem["X"].astype(dtype), problem["y"],
                                                problem["epochs"], problem["batch_size"], problem["learning_rate"], dtype)
                if round_number > 0:
                    times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def conv_problem(quick):
    """Chapter 12's convolutional network for one epoch: 750 log-mel sequences of 51 frames × 40 mel bands
    (three speakers' spoken digits; random numbers of the same shape here), 10 classes, batch 32, float32."""
    rng = np.random.default_rng(2)
    n = 64 if quick else 750
    return dict(X=rng.normal(size=(n, 51, 40)).astype(np.float32), y=np.arange(n) % 10, epochs=1, batch_size=32,
                learning_rate=0.01)


def time_conv_training(problem, repeats, threads=1):
    """Median seconds for one epoch of the convolutional network, nblib and PyTorch taking turns."""
    names = [name for name in CONV_IMPLEMENTATIONS if available(name)]
    if "torch" in names:
        import torch

        torch.set_num_threads(threads)
    times = {name: [] for name in names}
    for round_number in range(repeats + 1):  # round 0 is the warm-up
        for name in names:
            seconds = CONV_IMPLEMENTATIONS[name](problem["X"], problem["y"], problem["epochs"], problem["batch_size"],
                                                 problem["learning_rate"], np.float32)
            if round_number > 0:
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def training_flops(problem):
    """Multiply-adds × 2 that nblib issues for B: forward, weight gradients, and input gradients
    for every layer but the first."""
    sizes, n, batch = problem["sizes"], len(problem["X"]), problem["batch_size"] or len(problem["X"])
    total = 0
    for start in range(0, n, batch):
        rows = min(batch, n - start)
        for index, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            products = 2 + (1 if index > 0 else 0)  # forward and weight gradient, input gradient after layer 1
            total += products * 2 * rows * n_in * n_out
    return total * problem["epochs"]


def matmul_gflops(shape_a, shape_b, dtype, repeats):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=shape_a).astype(dtype), rng.normal(size=shape_b).astype(dtype)
    np.matmul(a, b)
    best = min(_timed(lambda: np.matmul(a, b)) for _ in range(repeats))
    return 2 * shape_a[0] * shape_a[1] * shape_b[1] / best / 1e9


def _timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def interactivity_ms(repeats):
    """Median milliseconds from a control change to a new picture: training explorer and playground."""
    from nblib.datasets import moons
    from nblib.widgets import playground, training_explorer

    X, y = moons(200, noise=0.15, seed=0)
    explorer, ground = training_explorer(X, y), playground()
    values = np.geomspace(0.05, 2.0, repeats)
    figures = {}
    for name, control in (("explorer_ms", explorer.learning_rate), ("playground_ms", ground.learning_rate)):
        durations = []
        for value in values:
            start = time.perf_counter()
            control.value = float(value)
            durations.append(time.perf_counter() - start)
        figures[name] = 1000 * statistics.median(durations)
    return figures


BROWSER_NOTEBOOK = [
    "from nblib.datasets import moons\nfrom nblib.widgets import playground, training_explorer\n"
    "X, y = moons(200, noise=0.15, seed=0)",
    "training_explorer(X, y)",
    "playground()",
]


def browser_ms(repeats):
    """Where the reader is: the training explorer and the playground in JupyterLab in headless
    Chromium. Milliseconds from the release of an arrow key on the η slider to the new image
    (timestamps taken in the page: keyup and the <img> src mutation), median over `repeats`
    presses, and from the click on "Train 100" to the readout's last epoch. None without Chromium."""
    import tempfile

    import nbformat
    from browser import explorer, jupyterlab, missing_browser_reason, open_chapter, run_all_cells
    from browser import CHROMIUM_ARGS, chromium_path, slider_latencies, train_latency

    names = ("browser_explorer_ms", "browser_playground_ms", "browser_train_100_ms")
    reason = missing_browser_reason()
    if reason:
        print(f"browser figures skipped: {reason}")
        return dict.fromkeys(names)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, jupyterlab(folder) as (url, token), sync_playwright() as playwright:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in BROWSER_NOTEBOOK],
                                            metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                     "display_name": "Python 3 (ipykernel)"}})
        nbformat.write(notebook, Path(folder) / "chapters" / "benchmark.ipynb")
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = open_chapter(chromium, url, token, "benchmark.ipynb")
        run_all_cells(page)
        page.wait_for_function("() => document.querySelectorAll('.jupyter-widgets img').length >= 2", timeout=60_000)
        figures = {}
        for name, index in (("browser_explorer_ms", 0), ("browser_playground_ms", 1)):
            times = sorted(slider_latencies(page, explorer(page, index), "η", repeats))
            figures[name] = statistics.median(times)
            print(f"{name}: median {figures[name]:.0f} ms, p90 {times[int(0.9 * (len(times) - 1))]:.0f} ms "
                  f"over {len(times)} key presses")
        ground = explorer(page, 1)
        epochs = int(ground.locator(".widget-html-content").first.inner_text().split()[1])
        figures["browser_train_100_ms"] = train_latency(page, ground, "Train", epochs, 100)
        chromium.close()
    return figures


def import_seconds(repeats):
    """Seconds for a whole Python process that imports nblib (the median of several)."""
    runs = [_timed(lambda: subprocess.run([sys.executable, "-c", "import nblib"], check=True)) for _ in range(repeats)]
    return statistics.median(runs)


AUDIO_SCRIPT = """
import time, tracemalloc
start = time.perf_counter()
tracemalloc.start()
from nblib.audio.synth import make_sounds
from nblib.audio.features import clip_features
clips, labels, names = make_sounds("waveforms", n_per_class={n}, level="medium", seed=0)
features = clip_features(clips)
seconds, traced = time.perf_counter() - start, tracemalloc.get_traced_memory()[1] / 1e6
status = open("/proc/self/status").read() if __import__("os").path.exists("/proc/self/status") else ""
resident = [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")] or [float("nan")]
print(seconds, traced, resident[0])
"""


def audio_figures(quick):
    """Seconds and peak memory (MB) to synthesize 800 clips and compute their features, in a fresh process:
    the peak of what Python and numpy allocated, and the peak resident size of the whole process."""
    output = subprocess.run([sys.executable, "-c", AUDIO_SCRIPT.format(n=10 if quick else 200)],
                            check=True, capture_output=True, text=True).stdout.split()
    seconds, traced_mb, resident_mb = (float(value) for value in output)
    return seconds, traced_mb, resident_mb


def librosa_logmel_ratio(quick):
    """Seconds for librosa's log-mel of the recorded spoken digits ÷ nblib's, one clip at a time at each
    recording's own length and rate (8 kHz), same settings: 256-sample frames every 80 samples, 40 mel
    bands (HTK mel scale, Slaney area normalisation), power in dB with a floor of 1e-10. None without librosa."""
    try:
        import librosa
    except ImportError:
        return None
    from nblib.audio.features import log_mel
    from nblib.audio.io import read_folder

    sounds = read_folder(ROOT / "data" / "spoken_digits" / "recordings", sample_rate=None, duration=None, report=False)
    recordings = [clip[:length].astype(np.float64) for clip, length in zip(sounds.clips, sounds.lengths)]
    recordings = recordings[:50] if quick else recordings
    rate = sounds.sample_rate

    def with_nblib():
        return [log_mel(clip, rate, n_fft=256, hop_length=80, n_mels=40) for clip in recordings]

    def with_librosa():
        return [librosa.power_to_db(librosa.feature.melspectrogram(
            y=clip, sr=rate, n_fft=256, hop_length=80, n_mels=40, htk=True, norm="slaney", pad_mode="reflect"),
            amin=1e-10, top_db=None).T for clip in recordings]

    ours, theirs = with_nblib(), with_librosa()  # warm-up, and the two must agree
    difference = max(float(np.abs(a - b).max()) for a, b in zip(ours, theirs))
    if difference > 0.1:
        raise AssertionError(f"nblib's and librosa's log-mel differ by up to {difference:.3g} dB: not the same settings")
    times = {"nblib": [], "librosa": []}
    for _ in range(1 if quick else 5):  # taking turns, as the training timings do
        times["nblib"].append(_timed(with_nblib))
        times["librosa"].append(_timed(with_librosa))
    return statistics.median(times["librosa"]) / statistics.median(times["nblib"])


BOOK_SCRIPT = """
import sys, nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.rsplit("/", 1)[0])}}).execute()
"""


def book_seconds(quick):
    """Seconds to execute every chapter top to bottom, each in a fresh kernel (only chapter 0 with --quick).
    Runs in a child process whose kernels' start-up chatter on stderr is dropped."""
    chapters = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))[: 1 if quick else None]
    return _timed(lambda: subprocess.run([sys.executable, "-c", BOOK_SCRIPT, *map(str, chapters)], check=True,
                                         stderr=subprocess.DEVNULL))


def mic_to_prediction_ms(quick):
    """Median milliseconds from the end of a recording to the probabilities on screen: chapter 13 in
    JupyterLab in headless Chromium, a spoken digit as the fake microphone, three recordings into its
    "Say a digit" microphone (tests/test_microphone_browser.py measures it). None with --quick, or
    without Chromium and playwright."""
    if quick:
        return None
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "latencies.json"
        environment = dict(os.environ, BOOK_MIC_LATENCY_FILE=str(figures))
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-k", "chapters_network",
                        str(ROOT / "tests" / "test_microphone_browser.py")],
                       cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
        return statistics.median(json.loads(figures.read_text())) if figures.exists() else None


def two_thread_training(quick):
    """The training figures again with two threads, in a child process (for information only)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"}
    arguments = [sys.executable, __file__, "--child-threads", "2"] + (["--quick"] if quick else [])
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def training_table(quick, threads):
    repeats = 1 if quick else 5
    figures = {}
    for problem_name, problem in problems(quick).items():
        for dtype, suffix in ((np.float32, "f32"), (np.float64, "f64")):
            names = [name for name in ("nblib", "loop", "torch", "sklearn") if available(name)
                     and not (name == "loop" and (problem_name == "B" or dtype == np.float32))]
            times = time_training(problem, names, dtype, repeats=repeats, threads=threads)
            for name, seconds in times.items():
                figures[f"{name}_{problem_name}_{suffix}_s"] = seconds
    return figures


def ratio(figures, peer, problem, suffix):
    peer_time, own_time = figures.get(f"{peer}_{problem}_{suffix}_s"), figures.get(f"nblib_{problem}_{suffix}_s")
    return None if peer_time is None or own_time is None else peer_time / own_time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one run each: checks that it all works")
    parser.add_argument("--child-threads", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child_threads:
        print(json.dumps(training_table(arguments.quick, arguments.child_threads)))
        return

    figures = training_table(arguments.quick, threads=1)
    conv_times = time_conv_training(conv_problem(arguments.quick), repeats=1 if arguments.quick else 9)
    problem_b = problems(arguments.quick)["B"]
    repeats = 1 if arguments.quick else 5
    square = 256 if arguments.quick else 2048
    limit = matmul_gflops((square, square), (square, square), np.float32, repeats)
    b_shapes = [((64, 640), (640, 128)), ((64, 128), (128, 64)), ((640, 64), (64, 128))]
    b_limit = statistics.median(matmul_gflops(a, b, np.float32, repeats * 20) for a, b in b_shapes)
    nblib_gflops = training_flops(problem_b) / figures["nblib_B_f32_s"] / 1e9
    interactive = interactivity_ms(3 if arguments.quick else 20)
    if arguments.quick:  # the browser tests drive JupyterLab already; quick mode only checks the rest
        in_browser = dict.fromkeys(("browser_explorer_ms", "browser_playground_ms", "browser_train_100_ms"))
    else:
        in_browser = browser_ms(15)
    audio_s, audio_mb, audio_rss_mb = audio_figures(arguments.quick)
    results = {
        "ratio_torch_A_f32": ratio(figures, "torch", "A", "f32"),
        "ratio_torch_B_f32": ratio(figures, "torch", "B", "f32"),
        "ratio_sklearn_A_f32": ratio(figures, "sklearn", "A", "f32"),
        "ratio_sklearn_B_f32": ratio(figures, "sklearn", "B", "f32"),
        "ratio_loop_A": ratio(figures, "loop", "A", "f64"),
        "ratio_torch_conv_f32": conv_times["torch"] / conv_times["nblib"] if "torch" in conv_times else None,
        "conv_epoch_s": conv_times["nblib"],
        "matmul_fraction_B_f32": nblib_gflops / limit,
        "explorer_ms": interactive["explorer_ms"],
        "playground_ms": interactive["playground_ms"],
        **in_browser,
        "import_s": import_seconds(3 if arguments.quick else 7),
        "book_s": book_seconds(arguments.quick),
        "audio_s": audio_s,
        "audio_peak_mb": audio_mb,
        "ratio_librosa_logmel": librosa_logmel_ratio(arguments.quick),
        "mic_to_prediction_ms": mic_to_prediction_ms(arguments.quick),
    }
    two_threads = two_thread_training(arguments.quick)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}")
    print("\ntraining, median seconds (one thread)          float32     float64")
    for name in ("nblib", "loop", "torch", "sklearn"):
        for problem in ("A", "B"):
            row = [figures.get(f"{name}_{problem}_{suffix}_s") for suffix in ("f32", "f64")]
            if any(value is not None for value in row) or name in ("torch", "sklearn"):
                shown = [f"{value:10.3f}" if value is not None else "   skipped" for value in row]
                print(f"  {name:8} problem {problem}                          {shown[0]}  {shown[1]}")
    print("\ntwo threads, for information                    float32     float64")
    for name in ("nblib", "torch", "sklearn"):
        for problem in ("A", "B"):
            row = [two_threads.get(f"{name}_{problem}_{suffix}_s") for suffix in ("f32", "f64")]
            shown = [f"{value:10.3f}" if value is not None else "   skipped" for value in row]
            print(f"  {name:8} problem {problem}                          {shown[0]}  {shown[1]}")
    shown = [f"{conv_times[name]:.3f} s" if name in conv_times else "skipped" for name in ("nblib", "torch")]
    print(f"\nconvolutional network (chapter 12), one epoch, float32, one thread: nblib {shown[0]}, PyTorch {shown[1]}")
    print(f"\nmatmul, one thread: {limit:.1f} GFLOP/s on {square}×{square} float32, {b_limit:.1f} GFLOP/s on B's shapes;"
          f" nblib issues {nblib_gflops:.1f} GFLOP/s training B")
    print(f"audio: peak allocated {audio_mb:.0f} MB; peak resident size of the whole process {audio_rss_mb:.0f} MB")
    print("\nfigure                      value     target")
    for key, value in results.items():
        sign, target = TARGETS[key]
        shown = "skipped" if value is None else f"{value:.3g}"
        if sign is None:  # a figure shown for information, without a target
            print(f"  {key:24} {shown:>9}    —")
            continue
        met = value is not None and (value >= target if sign == ">=" else value <= target)
        print(f"  {key:24} {shown:>9}    {sign} {target:<6} {'met' if met else ('—' if value is None else 'MISSED')}")
    print(json.dumps({key: (None if value is None else round(value, 4)) for key, value in results.items()}))


if __name__ == "__main__":
    main()
