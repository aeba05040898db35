"""The benchmark still runs: `benchmarks/run.py --quick` on tiny sizes. It asserts nothing about speed."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"ratio_torch_A_f32", "ratio_torch_B_f32", "ratio_sklearn_A_f32", "ratio_sklearn_B_f32", "ratio_loop_A",
        "matmul_fraction_B_f32", "explorer_ms", "playground_ms", "browser_explorer_ms", "browser_playground_ms",
        "browser_train_100_ms", "import_s", "book_s", "audio_s", "audio_peak_mb",
        "ratio_librosa_logmel", "ratio_torch_conv_f32", "conv_epoch_s", "mic_to_prediction_ms"}


def test_quick_benchmark_prints_a_table_and_every_figure():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert set(figures) == KEYS
    for key in ("ratio_loop_A", "matmul_fraction_B_f32", "explorer_ms", "playground_ms", "import_s", "book_s",
                "audio_s", "audio_peak_mb", "conv_epoch_s"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["mic_to_prediction_ms"] is None, "the quick run does not start a browser"
    for key in ("ratio_torch_A_f32", "ratio_sklearn_A_f32", "ratio_librosa_logmel", "ratio_torch_conv_f32"):
        assert figures[key] is None or figures[key] > 0
    assert any(line.startswith("training, median seconds") for line in lines)
    assert any("skipped" in line or "met" in line or "MISSED" in line for line in lines)
