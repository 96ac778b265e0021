"""Writes the example notebooks (run it after editing the cells below; outputs are not committed)."""

import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).resolve().parent

FIND_DATA = '''import os, pathlib
def shared_data():
    """../shared/data beside the repository (DEALSTAT_SHARED_DATA overrides)."""
    if os.environ.get("DEALSTAT_SHARED_DATA"):
        return pathlib.Path(os.environ["DEALSTAT_SHARED_DATA"])
    here = pathlib.Path.cwd().resolve()
    for base in [here, *here.parents]:
        if (base / "shared" / "data").is_dir():
            return base / "shared" / "data"
    return pathlib.Path("/work/shared/data")
REPO = next(p for p in [pathlib.Path.cwd().resolve(), *pathlib.Path.cwd().resolve().parents] if (p / "examples" / "mappings").is_dir())
DATA = shared_data()'''

NOTEBOOKS = {
    "quickstart.ipynb": [
        new_markdown_cell("# dealstat quickstart\n\nThe built-in sample account: two pipelines, managers in groups, "
                          "tasks, unsorted items and an event log. Every report is a method of `Dataset`."),
        new_code_cell("import dealstat\nimport matplotlib\nmatplotlib.use('Agg')\n"
                      "ds = dealstat.Dataset.sample(20000, seed=42)\nds"),
        new_markdown_cell("## Sales funnel\nReach per stage (implied skip policy), conversions with 95% Wilson "
                          "intervals, and the Kaplan–Meier time to close."),
        new_code_cell("f = ds.funnel(pipeline='Sales', period=('2024-01-01', '2025-01-01'))\nf"),
        new_code_cell("f.plot();"),
        new_code_cell("days = f.summary['km_median_time_to_close_s'] / 86400\n"
                      "print(f'median time to close (Kaplan–Meier): {days:.1f} days')"),
        new_markdown_cell("## Time in stage, movement, employees"),
        new_code_cell("ds.stage_time(pipeline='Sales').plot();"),
        new_code_cell("ds.movement(pipeline='Sales', bucket='month', period=('2024-01-01', '2025-01-01')).plot();"),
        new_code_cell("e = ds.employees(period=('2024-01-01', '2025-01-01'), rank_by='won_budget_minor')\n"
                      "e.plot(top=15);\ne.to_pandas().head()"),
        new_markdown_cell("## Summary, unsorted, events"),
        new_code_cell("s = ds.summary(period=('2024-01-01', '2025-01-01'))\ns.plot(kind='tasks');"),
        new_code_cell("ds.unsorted().to_pandas()"),
        new_code_cell("page = ds.events(limit=5, entity_type='lead')\nprint(page.total)\npage.to_pandas()"),
        new_markdown_cell("## Forecast with its backtest"),
        new_code_cell("fc = ds.forecast(horizon_days=30)\nfc.plot();\nfc.to_pandas('backtest_scores')"),
        new_markdown_cell("## Arrow and Polars\nResults hand their buffers to pyarrow and Polars without copies."),
        new_code_cell("import pyarrow as pa, polars as pl\npa.table(f).schema, pl.DataFrame(f).shape"),
    ],
    "maven-crm.ipynb": [
        new_markdown_cell("# Maven CRM sales opportunities\n\nA real B2B export (8,800 opportunities, current "
                          "stage only), loaded through `examples/mappings/maven-crm.json`."),
        new_code_cell("import dealstat\nimport matplotlib\nmatplotlib.use('Agg')\n" + FIND_DATA + "\n"
                      "ds = dealstat.Dataset.from_mapping(DATA / 'maven-crm', REPO / 'examples/mappings/maven-crm.json')\nds"),
        new_code_cell("f = ds.funnel(pipeline='Sales')\nf.plot();\nf.summary"),
        new_code_cell("team = ds.employees().tables['employees_team'].to_pandas()\n"
                      "print('win rate', round(float(team.win_rate_pct[0]), 2), '% (published: 63.15%)')\n"
                      "print('won revenue $', int(team.won_budget_minor[0]) / 100, '(published: $10,005,534)')"),
        new_code_cell("e = ds.employees(rank_by='win_rate_pct')\ne.plot(by='won_budget_minor');"),
        new_code_cell("ds.movement(bucket='month').plot(stages=['Sales / Won', 'Sales / Lost']);"),
        new_code_cell("ds.forecast(horizon_days=30, as_of='2017-10-01').to_pandas()"),
    ],
    "enpal-pipeline.ipynb": [
        new_markdown_cell("# Enpal deal change log\n\nA Pipedrive-style field change log, loaded through "
                          "`examples/mappings/enpal-pipeline.json`: stage history, owners and loss reasons rebuilt."),
        new_code_cell("import dealstat\nimport matplotlib\nmatplotlib.use('Agg')\n" + FIND_DATA + "\n"
                      "ds = dealstat.Dataset.from_mapping(DATA / 'enpal-pipeline', REPO / 'examples/mappings/enpal-pipeline.json')\nds"),
        new_code_cell("f = ds.funnel(skip='observed')\nf.plot();\nf.to_pandas()[['stage', 'reached', 'lost_here']]"),
        new_code_cell("ds.stage_time().plot();"),
        new_code_cell("ds.movement(bucket='month').plot();"),
        new_code_cell("ds.employees(rank_by='new_deals').plot(by='new_deals', top=10);"),
    ],
    "amocrm.ipynb": [
        new_markdown_cell("# An amoCRM (Kommo) export\n\nAn API v4 export folder (saved pages of `/api/v4/leads`, "
                          "`/api/v4/events`, ...). Here one is written from the sample with `write_amocrm` and read "
                          "back with `Dataset.from_amocrm`; point `from_amocrm` at your own export the same way."),
        new_code_cell("import tempfile, pathlib, dealstat\nimport matplotlib\nmatplotlib.use('Agg')\n"
                      "folder = pathlib.Path(tempfile.mkdtemp()) / 'amocrm-export'\n"
                      "dealstat.Dataset.sample(5000, seed=3).write_amocrm(folder)\n"
                      "sorted(p.name for p in folder.iterdir())[:8]"),
        new_code_cell("ds = dealstat.Dataset.from_amocrm(folder)\nprint(ds, len(ds.problems), 'problems')"),
        new_code_cell("ds.funnel(pipeline='Sales').plot();"),
        new_code_cell("ds.events(types=['lead_status_changed'], limit=5).to_pandas()"),
        new_code_cell("ds.summary(bucket='quarter').plot(kind='stages');"),
    ],
}

for name, cells in NOTEBOOKS.items():
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nbformat.write(nb, HERE / name)
    print("wrote", name)
