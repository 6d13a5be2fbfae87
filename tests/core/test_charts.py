"""Charts drawn on the server: SVG with titles a reader (and a screen reader) can use."""

import datetime
import re

import pytest

from core.charts import axis_step, stacked_bar_chart, timeline_chart


def test_no_rows_draw_nothing():
    assert stacked_bar_chart([], chart_id="c", title="Empty") == ""
    assert timeline_chart([], chart_id="t", title="Empty") == ""


def test_stacked_bars_with_titles_legend_and_numbers():
    rows = [(2019, "Kashmir", 2), (2019, "Aid", 1), (2021, "Kashmir", 1), (2021, "None", 4)]

    chart = str(
        stacked_bar_chart(
            rows, chart_id="c", title="Claims per year", unit=("claim", "claims"), muted=("None",)
        )
    )

    assert chart.startswith('<figure class="chart-figure"')
    assert 'role="img" aria-labelledby="c-title c-desc"' in chart
    assert '<title id="c-title">Claims per year</title>' in chart
    assert "Busiest year: 2021 (5 claims)." in chart
    assert "<title>2019 · Kashmir: 2 claims</title>" in chart
    assert "<title>2019 · Aid: 1 claim</title>" in chart
    # 2020 is drawn as an empty year between the two.
    assert re.findall(r'text-anchor="middle">(\d{4})<', chart) == ["2019", "2020", "2021"]
    legend = re.findall(r"</svg>([^<]+)</li>", chart)
    assert legend == ["Kashmir", "Aid", "None"]  # the muted series last
    assert '<th scope="row">2021</th><td>1</td><td>0</td><td>4</td><td>5</td>' in chart
    assert "<script" not in chart


def test_items_under_several_series_are_shared_out_to_the_true_height():
    # Two visits in 2019, one on Kashmir and Aid, one on Kashmir alone: three pairs.
    rows = [(2019, "Kashmir", 2), (2019, "Aid", 1), (2020, "Aid", 1)]

    chart = str(stacked_bar_chart(rows, chart_id="c", title="Visits", distinct={2019: 2, 2020: 1}))

    heights = [
        float(h)
        for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', chart)
    ]
    aid_2019, kashmir_2019, aid_2020 = heights  # series tied at two pairs: by name
    assert kashmir_2019 + aid_2019 == pytest.approx(2 * aid_2020, abs=0.2)  # 2 visits vs 1
    assert kashmir_2019 == pytest.approx(2 * aid_2019, abs=0.2)
    assert "<title>2019 · Kashmir: 2 of 2 visits</title>" in chart
    assert "<title>2019 · Aid: 1 of 2 visits</title>" in chart
    assert '<th scope="row">2019</th><td>1</td><td>2</td><td>2</td>' in chart  # Aid, Kashmir, all


def test_small_series_are_grouped_and_labels_escaped():
    rows = [(2020, f"Issue {n}", 10 - n) for n in range(8)] + [(2021, "<b>Bold</b>", 1)]

    chart = str(stacked_bar_chart(rows, chart_id="c", title="T", max_series=3))

    assert "<title>2020 · Other issues: 25 visits</title>" in chart
    assert "<b>Bold</b>" not in chart


def test_one_year_is_not_a_chart():
    assert (
        stacked_bar_chart([(2019, "Kashmir", 3), (2019, "Aid", 1)], chart_id="c", title="T") == ""
    )


def test_each_bar_links_to_the_list_it_counts():
    rows = [(2019, "Kashmir", 2), (2021, "Aid", 1)]

    def link(year, label):
        return f"/visits/?year={year}&issue={label.lower()}"

    chart = str(stacked_bar_chart(rows, chart_id="c", title="T", link=link))

    assert (
        '<a href="/visits/?year=2019&amp;issue=kashmir" aria-label="2019 · Kashmir: 2 visits">'
        in chart
    )
    assert '<a href="/visits/?year=2021&amp;issue=aid"' in chart


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
