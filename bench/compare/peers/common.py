"""What every peer shares: the question parameters and the CSV file list.

Stage keys: a stage is (pipeline_id, stage_id) -- amoCRM's won 142 / lost 143 repeat in every pipeline --
so the peers key it as pipeline_id * 2**32 + stage_id, and print it as "pipeline_id:stage_id".
"""
import csv
import os
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

CSV_FILES = ["account", "users", "pipelines", "stages", "deals", "stage_changes"]
STAGE_SHIFT = 2**32


@dataclass
class Params:
    tz: str
    pipeline: int
    q_from: str  # local dates, [from, to)
    q_to: str
    qs: int  # the same as Unix seconds
    qe: int


def account_time_zone(data_dir):
    path = os.path.join(data_dir, "account.csv")
    if os.path.exists(path):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if row["key"].strip() == "time_zone":
                    return row["value"].strip()
    return "UTC"


def local_midnight(date, tz):
    return int(datetime.fromisoformat(date).replace(tzinfo=ZoneInfo(tz)).timestamp())


def params(data_dir, pipeline=3, q_from="2024-07-01", q_to="2024-10-01"):
    tz = account_time_zone(data_dir)
    return Params(tz, pipeline, q_from, q_to, local_midnight(q_from, tz), local_midnight(q_to, tz))


def stage_label(key):
    key = int(key)
    return f"{key // STAGE_SHIFT}:{key % STAGE_SHIFT}"
