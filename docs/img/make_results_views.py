"""Make the pictures of docs/guide/results-views.md from the FICTIONAL demo data.

    .venv/bin/python docs/img/make_results_views.py

Needs kaleido (``pip install kaleido``) and a Chromium (``apt-get install chromium``) for the
PNG files; the district map is drawn by Chromium directly (kaleido would ask a CDN for a world
outline), and the report page by ``pdftoppm`` (Debian's poppler-utils).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import plotly.io as pio

import rightsmarker as rm
from rightsmarker import charts, maps
from rightsmarker.demo import demo_data
from rightsmarker.reports import build_report, find_chromium

HERE = Path(__file__).parent
FACTORS = [
    {"name": "normalisation", "type": "normalisation",
     "alternatives": [{"method": "goalposts"}, {"method": "minmax"}]},
    {"name": "weights", "type": "weights", "f": 0.25, "levels": [2, 3]},
    {"name": "aggregation", "type": "aggregation",
     "alternatives": [{"method": "arithmetic"}, {"method": "geometric"}]},
]


def main() -> None:
    fw = rm.load_framework("social-inclusion-marker")
    demo = demo_data(n_cities=8, framework=fw)
    obs = rm.read_observations(demo.observations, fw)
    result = rm.score(fw, obs, units=demo.cities)
    ua = rm.uncertainty(fw, obs, None, FACTORS, runs=300, seed=0)
    gaps = rm.gaps(obs, fw)
    units = result.scores.sort_values("rank")["unit"].drop_duplicates().tolist()
    city = units[0]
    indicator = charts.group_gaps_frame(gaps, city, "SOC.2.O1").iloc[0]["indicator"]
    figs = {
        "results-heatmap.png": charts.heatmap(result),
        "results-profile-bars.png": charts.profile_bars(result, city,
                                                        score_stats=ua.score_stats),
        "results-radar-ko.png": charts.radar(result, city, score_stats=ua.score_stats,
                                             lang="ko"),
        "results-group-gaps.png": charts.group_gaps(
            gaps, city, indicator, framework=fw,
            names=charts.unit_names(result)),
        "results-comparison.png": charts.comparison(result, city, units[1:4],
                                                    rank_stats=ua.rank_stats),
        "results-trend.png": charts.trend_lines(result, city),
    }
    pio.write_images(list(figs.values()), [HERE / name for name in figs])
    _district_map(city)
    _report_page(result, gaps, ua, units[:2])


def _district_map(city: str) -> None:
    import numpy as np
    import pandas as pd

    gj = maps.demo_districts(city, 12)
    ids = [f["properties"]["district"] for f in gj["features"]]
    rng = np.random.default_rng(1)
    values = pd.DataFrame({"unit": ids[:-1], "value": rng.uniform(8, 35, len(ids) - 1).round(1)})
    fig = maps.district_map(gj, values, "district", "value", label="poverty rate (%)",
                            title="Fictional districts: poverty rate (synthetic values)",
                            colorscale="OrRd")
    page = ("<html><head><meta charset='utf-8'></head><body style='margin:0'>"
            + charts.to_html(fig, include_js="inline", static=True) + "</body></html>")
    _screenshot(page, HERE / "results-district-map.png", 640, 520)


def _screenshot(html: str, out: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run([find_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", f"--user-data-dir={tmp}/p",
                        f"--window-size={width},{height}", "--hide-scrollbars",
                        f"--screenshot={out}", page.as_uri()], check=True,
                       capture_output=True)


def _report_page(result, gaps, ua, cities) -> None:
    pdf = build_report(result, cities=cities, gaps=gaps, uncertainty=ua, format="pdf")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "3", "-l", "3", "-singlefile",
                        str(path), str(HERE / "results-report-page")], check=True)


if __name__ == "__main__":
    main()
