"""Seed presets against what the seed notebooks printed, with the time they take here.

- seed 002: validation MSE on the notebook's own weather file (``clean_weather.csv``, °F),
  loaded through the CSV path, with preset 002's model, optimizer and weather options. The
  notebook printed 21.56 °F² after 200 epochs.
- seed 004: test loss (0.5 · MSE, the notebook's definition) after 50 epochs of preset 004.
  The notebook printed 2.3e-5.
Every preset is also trained for its own epoch budget on its built-in data (time and
validation MSE against the best trivial baseline).

Run: ``.venv/bin/python benchmarks/bench_presets.py [--weather-csv PATH]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo's packages

from benchmarks.report import Target, print_table, print_targets
from dashboard.config import build_trainer, load_data
from dashboard.presets import SEED_PRESETS
from rnn_core import datasets

SEED_002_PRINTED = 21.56  # °F², validation MSE after 200 epochs
SEED_004_PRINTED = 2.3e-5  # test loss 0.5 · MSE after 50 epochs
DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "reference" / "clean_weather.csv"


def train(config, data):
    """Train a preset's config to its epoch budget; (trainer, seconds)."""
    trainer = build_trainer(config, data)
    start = time.perf_counter()
    trainer.run(epochs=config.epochs)
    return trainer, time.perf_counter() - start


def seed_002(csv: Path) -> tuple[list[str], Target]:
    """Preset 002's model, optimizer and weather options on the notebook's own file."""
    config = SEED_PRESETS["002"].config
    data = datasets.load_csv(
        csv,
        target="tmax_tomorrow",
        inputs=["tmax", "tmin", "rain"],
        horizon=0,
        fill="ffill",
        **config.dataset_options,  # the window, and a prediction at every day as the notebook
    )
    trainer, seconds = train(config, data)
    mse = trainer.evaluate(data.X_val, data.y_val) * float(data.y_scaler.std[0]) ** 2  # °F²
    row = [
        "002 weather, notebook's file",
        f"{SEED_PRESETS['002'].config.epochs}",
        f"validation MSE {mse:.2f} °F²",
        f"{SEED_002_PRINTED} °F² (200 epochs)",
        f"{seconds:.1f} s",
    ]
    return row, Target(
        "seed 002: matches or beats 21.56 °F²", f"{mse:.2f} °F²", mse <= SEED_002_PRINTED
    )


def seed_004() -> tuple[list[str], Target]:
    """Preset 004 on its sine windows: test loss in the notebook's 0.5 · MSE."""
    config = SEED_PRESETS["004"].config
    data = load_data(config)
    trainer, seconds = train(config, data)
    loss = 0.5 * trainer.evaluate(data.X_test, data.y_test)
    row = [
        "004 sine",
        f"{config.epochs}",
        f"test 0.5·MSE {loss:.2e}",
        f"{SEED_004_PRINTED:.1e} (50 epochs)",
        f"{seconds:.1f} s",
    ]
    return row, Target("seed 004: matches or beats 2.3e-5", f"{loss:.2e}", loss <= SEED_004_PRINTED)


def all_presets() -> list[list[str]]:
    """Every preset on its own built-in data."""
    rows = []
    for key, preset in SEED_PRESETS.items():
        data = load_data(preset.config)
        trainer, seconds = train(preset.config, data)
        val = trainer.evaluate(data.X_val, data.y_val)
        rows.append(
            [
                key,
                preset.config.dataset,
                str(trainer.step_count),
                f"{val:.3g}",
                f"{min(data.baselines().values()):.3g}",
                f"{seconds:.1f} s",
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Print the comparison with the notebooks and the per-preset table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--weather-csv", type=Path, default=DEFAULT_CSV, help="seed 002's clean_weather.csv"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print("# Seed presets benchmark\n\n- command: `python benchmarks/bench_presets.py`")
    rows, targets = [], []
    if args.weather_csv.is_file():
        row, target = seed_002(args.weather_csv)
        rows.append(row)
        targets.append(target)
    else:
        print(f"\n(seed 002 skipped: no file at {args.weather_csv}; pass --weather-csv)")
    row, target = seed_004()
    rows.append(row)
    targets.append(target)
    print_table(
        "Against what the notebooks printed",
        ["preset", "epochs", "here", "notebook", "time here"],
        rows,
    )
    print_table(
        "Every preset on its built-in data (validation MSE, scaled units)",
        ["preset", "dataset", "steps", "validation MSE", "best baseline", "time"],
        all_presets(),
    )
    print_targets(targets, started)


if __name__ == "__main__":
    main()
