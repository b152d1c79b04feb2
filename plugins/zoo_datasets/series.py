"""Real series that ship inside installed packages (statsmodels, vega_datasets), read from local files only."""
from functools import partial

import numpy as np
import pandas as pd

from zoo.datasets import SeriesDataset


def sunspots() -> SeriesDataset:
    from statsmodels.datasets import sunspots as data

    frame = data.load_pandas().data
    index = frame["YEAR"].astype(int).astype(str)
    return _series("sunspots", frame, ["SUNACTIVITY"], index, "statsmodels datasets/sunspots")


def co2() -> SeriesDataset:
    from statsmodels.datasets import co2 as data

    frame = data.load_pandas().data.interpolate("linear")  # 59 weeks have no measurement
    index = frame.index.strftime("%Y-%m-%d")
    return _series("co2", frame, ["co2"], index, "statsmodels datasets/co2, missing weeks linearly interpolated")


def stocks(ticker: str) -> SeriesDataset:
    from vega_datasets import local_data  # the files in the package; vega_datasets.data would download

    frame = local_data.stocks()
    frame = frame[frame["symbol"] == ticker.upper()].sort_values("date")
    index = frame["date"].dt.strftime("%Y-%m-%d")
    return _series(f"stocks-{ticker}", frame, ["price"], index, "vega_datasets stocks.csv")


stocks_aapl = partial(stocks, "aapl")
stocks_amzn = partial(stocks, "amzn")
stocks_goog = partial(stocks, "goog")
stocks_ibm = partial(stocks, "ibm")
stocks_msft = partial(stocks, "msft")


def sf_temps() -> SeriesDataset:
    from vega_datasets import local_data

    frame = local_data.sf_temps()
    index = frame["date"].dt.strftime("%Y-%m-%d %H:%M")
    return _series("sf-temps", frame, ["temp"], index, "vega_datasets sf-temps.csv")


def seattle_weather() -> SeriesDataset:
    from vega_datasets import local_data

    frame = local_data.seattle_weather()
    index = frame["date"].dt.strftime("%Y-%m-%d")
    columns = ["temp_max", "temp_min", "precipitation", "wind"]  # column 0 is the one predicted
    return _series("seattle-weather", frame, columns, index, "vega_datasets seattle-weather.csv")


def _series(name: str, frame: pd.DataFrame, columns: list[str], index, source: str) -> SeriesDataset:
    values = frame[columns].to_numpy(np.float64)
    if not np.isfinite(values).all():  # the shipped files are complete; a changed one must not slip through
        raise ValueError(f"{name}: the data file has missing or infinite values")
    return SeriesDataset(name, values, list(columns), list(index), source=source)
