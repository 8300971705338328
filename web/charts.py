"""Charts drawn on the server as SVG: they read without JavaScript, in print and in a PDF.

Plain functions from numbers and already-translated words to an SVG string; no request, no
database. Each chart is an image with a title and a description (`role="img"`, `<title>`,
`<desc>`), and the page shows the table behind it as well.

    svg = stacked_bars(
        "ideas-chart", title="Ideas by type of unit and stage", desc="74 ideas: 29 from OPD…",
        categories=[("opd", "OPD"), ("puskesmas", "Puskesmas")],
        series=[("diagnose", "diagnose"), ("design", "design")],
        values={("opd", "diagnose"): 20, ("opd", "design"): 9, …}, number=str)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

# Light to dark, so that the order of a sequence (the 5D stages) still reads in grey on paper.
PALETTE = (("#deebf7", "#0b1f33"), ("#9ecae1", "#0b1f33"), ("#4f9bd0", "#0b1f33"),
           ("#2166ac", "#ffffff"), ("#08306b", "#ffffff"))

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class Layout:
    width: int = 360          # the viewBox; the SVG scales to its box (a phone's width)
    label_width: int = 84     # the categories' names, left of their bars
    total_width: int = 36     # each bar's total, right of it
    bar: int = 22
    gap: int = 12
    font: int = 12
    char: float = 7.0         # a wide sans serif's average character at `font`, to fit text


def _text_width(text: str, layout: Layout) -> float:
    return len(text) * layout.char


def _fit(text: str, room: float, layout: Layout) -> str:
    """`text` cut with an ellipsis to fit `room` (the table below has it in full)."""
    if _text_width(text, layout) <= room:
        return text
    keep = max(1, int(room / layout.char) - 1)
    return text[:keep] + "…"


def _attrs(**attrs) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(str(v))}"'
                    for k, v in attrs.items() if v is not None)


def _el(tag: str, text: str | None = None, **attrs) -> str:
    """One SVG element; `text` is escaped."""
    if text is None:
        return f"<{tag} {_attrs(**attrs)}/>"
    return f"<{tag} {_attrs(**attrs)}>{escape(text)}</{tag}>"


def stacked_bars(chart_id: str, *, title: str, desc: str,
                 categories: Sequence[tuple[str, str]], series: Sequence[tuple[str, str]],
                 values: Mapping[tuple[str, str], int | float],
                 number: Callable[[int | float], str] = str,
                 colours: Sequence[tuple[str, str]] = PALETTE,
                 layout: Layout = Layout()) -> str:
    """One horizontal bar per category, made of one segment per series, with a legend of the
    series above and each bar's total after it. `values[(category, series)]`; `number`
    formats a figure for the reader's locale; `colours` are (fill, text) pairs by series."""
    L = layout
    out: list[str] = []
    # The legend: the series in their order, wrapped into rows.
    x, y, legend_rows = 0.0, 0, 1
    items = []
    for i, (_, label) in enumerate(series):
        item = 12 + 5 + _text_width(label, L) + 12
        if x and x + item > L.width:
            x, y, legend_rows = 0.0, y + L.font + 8, legend_rows + 1
        items.append((x, y, i, label))
        x += item
    top = legend_rows * (L.font + 8) + 6
    height = top + len(categories) * (L.bar + L.gap)
    fills = [colours[i % len(colours)] for i in range(len(series))]
    for lx, ly, i, label in items:
        out.append(_el("rect", x=lx, y=ly + 1, width=12, height=12, fill=fills[i][0],
                       stroke="#5a6470", stroke_width=".5"))
        out.append(_el("text", label, x=round(lx + 17, 2), y=ly + L.font))

    totals = {c: sum(values.get((c, s), 0) for s, _ in series) for c, _ in categories}
    most = max(totals.values(), default=0) or 1
    room = L.width - L.label_width - L.total_width
    for row, (category, label) in enumerate(categories):
        by = top + row * (L.bar + L.gap)
        mid = by + L.bar / 2 + L.font * .35
        out.append(_el("text", _fit(label, L.label_width - 8, L), x=L.label_width - 6,
                       y=round(mid, 1), text_anchor="end"))
        bx = float(L.label_width)
        for i, (key, _) in enumerate(series):
            n = values.get((category, key), 0)
            if not n:
                continue
            w = room * n / most
            out.append(_el("rect", x=round(bx, 2), y=by, width=round(w, 2), height=L.bar,
                           fill=fills[i][0], stroke="#ffffff", stroke_width="1"))
            figure = number(n)
            if _text_width(figure, L) + 6 <= w:  # else only the table has it
                out.append(_el("text", figure, x=round(bx + w / 2, 2), y=round(mid, 1),
                               text_anchor="middle", fill=fills[i][1]))
            bx += w
        out.append(_el("text", number(totals[category]), x=round(bx + 5, 2), y=round(mid, 1),
                       font_weight="700"))
    # The axis the bars start from.
    out.append(_el("line", x1=L.label_width, y1=top - 3, x2=L.label_width,
                   y2=height - L.gap + 3, stroke="#5a6470", stroke_width="1"))

    head = _attrs(xmlns="http://www.w3.org/2000/svg", class_="chart", id=chart_id, role="img",
                  viewBox=f"0 0 {L.width} {height}", width=L.width, height=height,
                  aria_labelledby=f"{chart_id}-title {chart_id}-desc",
                  font_family=FONT, font_size=L.font, fill="#1b1f24")
    return (f"<svg {head}><title id=\"{chart_id}-title\">{escape(title)}</title>"
            f"<desc id=\"{chart_id}-desc\">{escape(desc)}</desc>" + "".join(out) + "</svg>")
