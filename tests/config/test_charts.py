"""Charts drawn on the server: SVG with titles a reader (and a screen reader) can use."""

import datetime
import re

from config.charts import axis_step, stacked_bar_chart, timeline_chart


def test_no_rows_draw_nothing():
    assert stacked_bar_chart([], chart_id="c", title="Empty") == ""
    assert timeline_chart([], chart_id="t", title="Empty") == ""


def test_stacked_bars_with_titles_legend_and_numbers():
    rows = [(2019, "Kashmir", 2), (2019, "Aid", 1), (2021, "Kashmir", 1), (2021, "None", 4)]

    chart = str(
        stacked_bar_chart(
            rows,
            chart_id="c",
            title="Visits per year",
            muted=("None",),
            distinct={2019: 2, 2021: 5},
        )
    )

    assert chart.startswith('<figure class="chart-figure"')
    assert 'role="img" aria-labelledby="c-title c-desc"' in chart
    assert '<title id="c-title">Visits per year</title>' in chart
    assert "Busiest year: 2021 (5 visits)." in chart
    assert "<title>2019 · Kashmir: 2 visits</title>" in chart
    assert "<title>2019 · Aid: 1 visit</title>" in chart
    assert "<title>2021: 5 visits in all</title>" in chart
    # 2020 is drawn as an empty year between the two.
    assert re.findall(r'text-anchor="middle">(\d{4})<', chart) == ["2019", "2020", "2021"]
    legend = re.findall(r"</svg>([^<]+)</li>", chart)
    assert legend == ["Kashmir", "Aid", "None", "All visits (each once)"]
    assert '<th scope="row">2021</th><td>1</td><td>0</td><td>4</td><td>5</td>' in chart
    assert "<script" not in chart


def test_small_series_are_grouped_and_labels_escaped():
    rows = [(2020, f"Issue {n}", 10 - n) for n in range(8)] + [(2020, "<b>Bold</b>", 1)]

    chart = str(stacked_bar_chart(rows, chart_id="c", title="T", max_series=3))

    assert "<title>2020 · Other issues: 26 visits</title>" in chart
    assert "<b>Bold</b>" not in chart


def test_axis_steps_are_whole_and_round():
    assert [axis_step(value) for value in (1, 3, 8, 12, 37, 400, 9000)] == [
        1,
        1,
        2,
        5,
        10,
        100,
        5000,
    ]


def test_timeline_links_each_visit():
    points = [
        {
            "date": datetime.date(2019, 7, 21),
            "label": "Washington & back",
            "url": "/v/a/",
            "kind": "made",
        },
        {"date": datetime.date(2020, 11, 19), "label": "Kabul", "url": "/v/b/", "kind": "received"},
    ]

    chart = str(
        timeline_chart(points, chart_id="t", title="Visits", legend=(("made", "Visits made"),))
    )

    assert '<a href="/v/a/" aria-label="Washington &amp; back">' in chart
    assert '<circle class="received"' in chart
    assert "2 visits from 2019 to 2020" in chart
    assert "Visits made" in chart
