"""Charts drawn on the server as inline SVG: readable without JavaScript, labelled for readers.

Every shape carries a <title> (shown on hover, read by screen readers); every chart has a
title and a description, a legend in HTML and its numbers in a table.
"""

import datetime
import math
from collections import defaultdict

from django.template.loader import render_to_string

#: Distinguishable colours (Okabe–Ito) with enough contrast on white; greys for the rest.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#B07800", "#4A90C2")
OTHER_COLOUR = "#8A939B"
MUTED_COLOUR = "#C3C9CE"

WIDTH, HEIGHT = 960, 280
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 10, 14, 32


def axis_step(maximum, ticks=4):
    """Return a whole, round step (1, 2, 5 × 10ⁿ) giving about `ticks` intervals up to `maximum`."""
    raw = max(1.0, maximum / ticks)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return int(factor * power)
    return int(10 * power)


def _plural(count, unit):
    singular, plural = unit
    return f"{count} {singular if count == 1 else plural}"


def _series(rows, max_series, muted, other_label):
    """Return [(label, colour)] in stacking order and the label each raw label is shown as."""
    totals = defaultdict(int)
    for _year, label, count in rows:
        totals[label] += count
    ranked = sorted(
        (label for label in totals if label not in muted), key=lambda label: (-totals[label], label)
    )
    shown, rest = ranked[:max_series], ranked[max_series:]
    series = [(label, PALETTE[index % len(PALETTE)]) for index, label in enumerate(shown)]
    mapping = {label: label for label in shown}
    if rest:
        series.append((other_label, OTHER_COLOUR))
        mapping.update(dict.fromkeys(rest, other_label))
    for label in muted:
        if label in totals:
            series.append((label, MUTED_COLOUR))
            mapping[label] = label
    return series, mapping


def stacked_bar_chart(
    rows,
    *,
    chart_id,
    title,
    unit=("visit", "visits"),
    max_series=6,
    muted=(),
    other_label="Other issues",
    note="",
    distinct=None,
    link=None,
):
    """Return HTML with an SVG stacked bar chart of (year, series, count) rows, or ''.

    When one item may count under several series (a visit on two issues), `distinct` gives
    {year: number of items}: each bar is then as high as the year's items, its colours sharing
    it out in proportion to the series' counts, whose exact numbers the titles and table give.
    `link(year, series label)` gives the address of the list each bar counts ("" for none).
    A single year is not a chart: it draws nothing (the page says the numbers anyway).
    """
    rows = [(int(year), label, count) for year, label, count in rows if year and count]
    if len({year for year, _label, _count in rows}) < 2:
        return ""
    series, mapping = _series(rows, max_series, tuple(muted), other_label)
    counts = defaultdict(lambda: defaultdict(int))
    for year, label, count in rows:
        counts[year][mapping[label]] += count
    first, last = min(counts), max(counts)
    years = list(range(first, last + 1))
    totals = {year: sum(counts[year].values()) for year in years}
    items = {year: (distinct or totals).get(year, 0) for year in years}
    # Bar heights: the items themselves when given, else the sum of the series.
    step = axis_step(max(items.values()))
    top = step * math.ceil(max(items.values()) / step)

    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / len(years)
    bar_w = max(1.0, slot * 0.78)
    baseline = MARGIN_TOP + plot_h

    ticks = []
    for value in range(0, top + 1, step):
        y = baseline - plot_h * value / top
        ticks.append({"y": f"{y:.1f}", "text_y": f"{y + 5:.1f}", "label": f"{value:,}"})
    label_every = max(1, math.ceil(48 / slot))
    drawn = []
    for index, year in enumerate(years):
        x = MARGIN_LEFT + index * slot + (slot - bar_w) / 2
        y = baseline
        share = items[year] / totals[year] if totals[year] else 0
        bars = []
        for label, colour in series:
            count = counts[year].get(label, 0)
            if not count:
                continue
            height = plot_h * count * share / top
            y -= height
            bars.append(
                {
                    "x": f"{x:.1f}",
                    "y": f"{y:.1f}",
                    "width": f"{bar_w:.1f}",
                    "height": f"{height:.1f}",
                    "colour": colour,
                    "label": label,
                    "text": (
                        f"{count} of {_plural(items[year], unit)}"
                        if distinct
                        else _plural(count, unit)
                    ),
                    "url": link(year, label) if link else "",
                }
            )
        labelled = (year - first) % label_every == 0
        drawn.append(
            {"year": year, "bars": bars, "label_x": f"{x + bar_w / 2:.1f}" if labelled else ""}
        )
    busiest = max(years, key=lambda year: items[year])
    description = (
        f"{unit[1].capitalize()} per year from {first} to {last}, stacked by "
        f"{', '.join(label for label, _ in series)}. "
        f"Busiest year: {busiest} ({_plural(items[busiest], unit)})."
    )
    table = [
        {
            "year": year,
            "counts": [counts[year].get(label, 0) for label, _ in series],
            "total": items[year],
        }
        for year in reversed(years)
        if items[year]
    ]
    return render_to_string(
        "core/charts/stacked_bar.html",
        {
            "chart_id": chart_id,
            "title": title,
            "note": note,
            "description": description,
            "width": WIDTH,
            "height": HEIGHT,
            "left": MARGIN_LEFT,
            "right": WIDTH - MARGIN_RIGHT,
            "baseline": baseline,
            "tick_x": MARGIN_LEFT - 8,
            "ticks": ticks,
            "years": drawn,
            "year_label_y": baseline + 22,
            "series": series,
            "table": table,
            "unit_plural": unit[1],
        },
    )


def timeline_chart(points, *, chart_id, title, legend=()):
    """Return an SVG timeline of visits: one linked, titled dot per visit; '' when none.

    `points` are dicts with `date` (a date), `label` (what the dot's title says), `url` and
    `kind` (a CSS class); `legend` names the kinds: [(kind, label)].
    """
    points = [point for point in points if point.get("date")]
    if not points:
        return ""
    first = min(point["date"].year for point in points)
    last = max(point["date"].year for point in points) + 1
    span_days = max(1, (_year_start(last) - _year_start(first)).days)
    plot_w = WIDTH - 2 * MARGIN_RIGHT - 20
    lane_gap, lanes_max = 16, 6
    lane_ends = []
    dots = []
    for point in sorted(points, key=lambda point: point["date"]):
        x = 20 + plot_w * (point["date"] - _year_start(first)).days / span_days
        lane = next(
            (index for index, end in enumerate(lane_ends) if end + 12 <= x),
            None,
        )
        if lane is None:
            if len(lane_ends) < lanes_max:
                lane_ends.append(x)
                lane = len(lane_ends) - 1
            else:
                lane = min(range(len(lane_ends)), key=lambda index: lane_ends[index])
        lane_ends[lane] = x
        dots.append(
            {
                "url": point["url"],
                "label": point["label"],
                "kind": point.get("kind", ""),
                "x": f"{x:.1f}",
                "y": 24 + lane * lane_gap,
            }
        )
    height = 24 + max(1, len(lane_ends)) * lane_gap + 26
    axis_y = height - 26
    step = max(1, math.ceil((last - first) / 12))
    ticks = [
        {
            "x": f"{20 + plot_w * (_year_start(year) - _year_start(first)).days / span_days:.1f}",
            "year": year,
        }
        for year in range(first, last + 1, step)
    ]
    kinds = {point.get("kind") for point in points}
    return render_to_string(
        "core/charts/timeline.html",
        {
            "chart_id": chart_id,
            "title": title,
            "description": (
                f"{len(points)} visits from {first} to {last - 1}; each dot links to its visit."
            ),
            "width": WIDTH,
            "height": height,
            "right": 20 + plot_w,
            "axis_y": axis_y,
            "tick_y": axis_y + 20,
            "ticks": ticks,
            "dots": dots,
            "legend": [(kind, label) for kind, label in legend if kind in kinds],
        },
    )


def _year_start(year):
    return datetime.date(year, 1, 1)
