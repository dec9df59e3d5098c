"""Regenerate ``data/seattle_weather.csv`` from the vega-datasets package's local copy.

Run once by a maintainer (``pip install vega_datasets`` first); the app never needs it.
Writes seed 002's format: a date index, ``tmax``, ``tmin`` (°C), ``rain`` (mm) and
``tmax_tomorrow`` (the next day's ``tmax``; the last day, which has no tomorrow, is dropped).
"""

from pathlib import Path

from vega_datasets import data

OUT = Path(__file__).resolve().parent / "seattle_weather.csv"


def main() -> None:
    """Read the packaged NOAA record, rename to the seed format and write the CSV."""
    raw = data.seattle_weather()  # local file shipped in the package; no network
    frame = raw.set_index("date")[["temp_max", "temp_min", "precipitation"]]
    frame.columns = ["tmax", "tmin", "rain"]
    frame["tmax_tomorrow"] = frame["tmax"].shift(-1)
    frame = frame.iloc[:-1]
    frame.index = frame.index.strftime("%Y-%m-%d")
    frame.to_csv(OUT, index_label="date", float_format="%.1f")
    print(f"wrote {len(frame)} rows to {OUT}")


if __name__ == "__main__":
    main()
