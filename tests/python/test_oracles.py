"""dealstat against independent implementations: pandas (funnel, employees), lifelines
(Kaplan–Meier), statsmodels (Wilson intervals, OLS with prediction intervals)."""

import numpy as np
import pandas as pd
import pytest

import dealstat


def _tables(ds):
    deals = pd.DataFrame({k: v for k, v in ds.columns("deals").items() if k not in ("tags", "tags_offset")})
    paths = pd.DataFrame(ds.columns("paths"))
    stages = pd.DataFrame(ds.columns("stages"))
    pipes = pd.DataFrame(ds.columns("pipelines"))
    return deals, paths, stages, pipes


def pandas_funnel(ds, pipeline):
    """SPEC section 3, implied policy, no period: reach per open stage, won, lost here."""
    deals, paths, stages, pipes = _tables(ds)
    prow = int(np.flatnonzero(pipes["name"].to_numpy() == pipeline)[0])
    sel = deals[(deals["pipeline_row"] == prow) & (deals["deleted"] == 0)].copy()
    st = stages[stages["pipeline_row"] == prow].sort_values("position")
    open_pos = st.loc[st["kind"] == "open", "position"].to_numpy()
    p = paths.merge(stages[["pipeline_row", "kind", "position"]], left_on="stage_row", right_index=True)
    p = p[(p["pipeline_row"] == prow) & p["kind"].isin(["open", "unsorted"]) & p["deal_row"].isin(sel.index)]
    furthest = p[p["kind"] == "open"].groupby("deal_row")["position"].max()
    sel["furthest"] = furthest.reindex(sel.index)
    # a deal with no recorded unsorted/open stage (only its final stage known) was at least at the first open one
    no_history = ~sel.index.isin(p["deal_row"].unique())
    sel.loc[no_history, "furthest"] = open_pos[0]
    won = sel["stage_kind"] == "won"
    rows = []
    for _, s in st[st["kind"] == "open"].iterrows():
        reached = int(((sel["furthest"] >= s["position"]) | won).sum())
        lost_here = int(((sel["stage_kind"] == "lost") & (sel["furthest"] == s["position"])).sum())
        rows.append((s["name"], reached, lost_here))
    rows.append(("won", int(won.sum()), 0))
    out = pd.DataFrame(rows, columns=["stage", "reached", "lost_here"])
    out["budget"] = [None] * len(out)
    first = out["reached"].iloc[0]
    out["conversion_from_first_pct"] = out["reached"] / first * 100
    return out, sel


@pytest.mark.parametrize("which", ["sample", "maven"])
def test_funnel_matches_pandas(which, request):
    ds = request.getfixturevalue(which)
    ref, sel = pandas_funnel(ds, "Sales")
    got = ds.funnel(pipeline="Sales").to_pandas()
    got = got[got["kind"] != "unsorted"].reset_index(drop=True)
    assert list(got["reached"]) == list(ref["reached"])
    assert list(got["lost_here"].iloc[:-1]) == list(ref["lost_here"].iloc[:-1])
    np.testing.assert_allclose(got["conversion_from_first_pct"], ref["conversion_from_first_pct"], rtol=1e-12)
    s = ds.funnel(pipeline="Sales").summary
    assert s["deals"] == len(sel)
    assert s["won"] == int((sel["stage_kind"] == "won").sum())


def test_maven_published_figures(maven_dir, maven):
    raw = pd.read_csv(maven_dir / "sales_pipeline.csv")
    won = int((raw["deal_stage"] == "Won").sum())
    lost = int((raw["deal_stage"] == "Lost").sum())
    assert (won, won + lost) == (4238, 6711)
    f = maven.funnel(pipeline="Sales")
    assert f.summary["won"] == won and f.summary["lost"] == lost
    team = maven.employees().tables["employees_team"].to_pandas()
    assert int(team["won"].iloc[0]) == won
    assert round(float(team["win_rate_pct"].iloc[0]), 2) == 63.15
    assert int(team["won_budget_minor"].iloc[0]) == 1000553400  # $10,005,534.00


@pytest.mark.parametrize("which", ["sample", "maven"])
def test_employees_matches_pandas(which, request):
    ds = request.getfixturevalue(which)
    lo, hi = ("2024-01-01", "2024-07-01") if which == "sample" else ("2017-01-01", "2017-07-01")
    tz = ds.time_zone
    start = pd.Timestamp(lo, tz=tz).tz_convert("UTC").timestamp()
    end = pd.Timestamp(hi, tz=tz).tz_convert("UTC").timestamp()
    deals, _, _, _ = _tables(ds)
    deals = deals[deals["deleted"] == 0]
    in_p = lambda col: (deals[col] >= start) & (deals[col] < end)  # noqa: E731
    by = deals["responsible_id"]
    ref = pd.DataFrame({
        "new_deals": in_p("created_at").groupby(by).sum(),
        "won": (in_p("closed_at") & (deals["stage_kind"] == "won")).groupby(by).sum(),
        "won_budget_minor": (deals["budget_minor"].where(in_p("closed_at") & (deals["stage_kind"] == "won"), 0)).groupby(by).sum(),
        "lost": (in_p("closed_at") & (deals["stage_kind"] == "lost")).groupby(by).sum(),
    })
    ref = ref[ref.index != np.iinfo(np.int64).min]
    got = ds.employees(period=(lo, hi)).to_pandas().dropna(subset=["user_id"]).set_index("user_id")
    got.index = got.index.astype(np.int64)
    got = got.reindex(ref.index)
    for c in ref.columns:
        assert list(got[c].astype(np.int64)) == list(ref[c].astype(np.int64)), c
    closed = ref["won"] + ref["lost"]
    rate = (ref["won"] / closed * 100).where(closed > 0)
    np.testing.assert_allclose(got["win_rate_pct"].to_numpy(dtype=float), rate.to_numpy(dtype=float), rtol=1e-12)


def test_wilson_matches_statsmodels(sample):
    from statsmodels.stats.proportion import proportion_confint

    for k, n in [(0, 10), (19, 38), (10, 10), (3, 1000), (640, 1000)]:
        for conf in (0.8, 0.95, 0.99):
            lo, hi = dealstat.stats.wilson_interval(k, n, conf)
            slo, shi = proportion_confint(k, n, alpha=1 - conf, method="wilson")
            assert lo == pytest.approx(slo, abs=1e-12) and hi == pytest.approx(shi, abs=1e-12)
    f = sample.funnel(pipeline="Sales").to_pandas()
    f = f[f["kind"] != "unsorted"].reset_index(drop=True)
    first = int(f["reached"].iloc[0])
    for i in range(1, len(f)):
        k, n = int(f["reached"].iloc[i]), int(f["reached"].iloc[i - 1])
        lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert f["step_conversion_lower_pct"].iloc[i] == pytest.approx(lo * 100, abs=1e-9)
        assert f["step_conversion_upper_pct"].iloc[i] == pytest.approx(hi * 100, abs=1e-9)
        lo, hi = proportion_confint(k if i else first, first, alpha=0.05, method="wilson")
        k2 = int(f["reached"].iloc[i])
        lo, hi = proportion_confint(k2, first, alpha=0.05, method="wilson")
        assert f["conversion_from_first_lower_pct"].iloc[i] == pytest.approx(lo * 100, abs=1e-9)


@pytest.mark.parametrize("which", ["sample", "maven"])
def test_kaplan_meier_matches_lifelines(which, request):
    from lifelines import KaplanMeierFitter

    ds = request.getfixturevalue(which)
    f = ds.funnel(pipeline="Sales")
    as_of = f.summary["as_of_s"]
    deals, _, _, pipes = _tables(ds)
    prow = int(np.flatnonzero(pipes["name"].to_numpy() == "Sales")[0])
    sel = deals[(deals["pipeline_row"] == prow) & (deals["deleted"] == 0)]
    closed = sel["stage_kind"].isin(["won", "lost"]) & (sel["closed_at"] <= as_of)
    end = np.where(closed, sel["closed_at"], as_of)
    # The funnel's Kaplan-Meier runs on whole hours, rounded up (docs/reports.md, "Time to close"):
    # lifelines gets the same ceiled durations (integer ceil of seconds / 3600, times 3600).
    secs = (end - sel["created_at"]).astype(np.int64)
    dur = (-(-secs // 3600) * 3600).astype(float)
    kmf = KaplanMeierFitter().fit(dur, closed.astype(int))
    assert f.summary["km_closed"] == int(closed.sum())
    assert f.summary["km_median_time_to_close_s"] == pytest.approx(kmf.median_survival_time_, rel=1e-12)
    mine = dealstat.stats.kaplan_meier(dur.to_numpy(), closed.to_numpy())
    sf = kmf.survival_function_.iloc[1:, 0].to_numpy()
    np.testing.assert_allclose(mine["survival"], sf, rtol=1e-10)
    ci = kmf.confidence_interval_survival_function_.iloc[1:]
    np.testing.assert_allclose(mine["ci_lower"], ci.iloc[:, 0].to_numpy(), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(mine["ci_upper"], ci.iloc[:, 1].to_numpy(), rtol=1e-8, atol=1e-12)


def test_ols_matches_statsmodels(sample):
    """The inflow regression's engine (trend + weekday dummies on deals created per day) against statsmodels."""
    import statsmodels.api as sm

    deals, _, _, _ = _tables(sample)
    day = (deals["created_at"] + 3 * 3600) // 86400
    y = day.value_counts().sort_index()
    y = y.loc[y.index[-182]:]
    t = np.arange(len(y), dtype=float)
    wd = (y.index.to_numpy() + 3) % 7  # 1970-01-01 was a Thursday
    X = np.column_stack([np.ones_like(t), t] + [(wd == k).astype(float) for k in range(1, 7)])
    Xn = np.column_stack([np.ones(14), np.arange(len(y), len(y) + 14)] +
                         [((np.arange(len(y), len(y) + 14) + wd[0]) % 7 == k).astype(float) for k in range(1, 7)])
    mine = dealstat.stats.ols(X, y.to_numpy(dtype=float), Xn, 0.95)
    ref = sm.OLS(y.to_numpy(dtype=float), X).fit()
    np.testing.assert_allclose(mine["params"], ref.params, rtol=1e-9)
    np.testing.assert_allclose(mine["bse"], ref.bse, rtol=1e-9)
    pred = ref.get_prediction(Xn).summary_frame(alpha=0.05)
    np.testing.assert_allclose(mine["mean"], pred["mean"], rtol=1e-9)
    np.testing.assert_allclose(mine["pi_lower"], pred["obs_ci_lower"], rtol=1e-9)
    np.testing.assert_allclose(mine["pi_upper"], pred["obs_ci_upper"], rtol=1e-9)
    np.testing.assert_allclose(mine["ci_lower"], pred["mean_ci_lower"], rtol=1e-9)
