"""Server-rendered horizontal bar charts: geometry computed here, SVG drawn by a template.

No inline styles (the CSP forbids them): colours come from classes in
static/css/insights.css, sizes from SVG attributes.
"""

from dataclasses import dataclass, field

LABEL_WIDTH = 200
BAR_AREA = 300
VALUE_GAP = 6
VALUE_WIDTH = 70
BAR_HEIGHT = 14
SERIES_GAP = 2
GROUP_GAP = 12
TOP = 8


@dataclass
class Bar:
    series: str
    value: float
    text: str
    x: int
    y: int
    width: int
    height: int

    @property
    def value_x(self):
        return self.x + self.width + VALUE_GAP

    @property
    def value_y(self):
        return self.y + self.height - 3


@dataclass
class Group:
    label: str
    label_y: int
    bars: list = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    series: list  # [(css class, legend text)]
    groups: list
    width: int
    height: int


def _format(value):
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"


def bar_chart(*, id, title, description, items, series, label=lambda item: str(item)):
    """A grouped horizontal bar chart.

    ``series`` is a list of (css class, legend text, value function); each
    series is scaled to its own maximum, so bars of different series compare
    within the series only (the legend says so when there are two).
    """
    maxima = []
    for _, _, value_of in series:
        values = [value_of(item) or 0 for item in items]
        maxima.append(max(values, default=0) or 1)
    group_height = len(series) * BAR_HEIGHT + (len(series) - 1) * SERIES_GAP
    groups = []
    y = TOP
    for item in items:
        group = Group(label=label(item), label_y=y + group_height // 2 + 5)
        for index, (css, legend, value_of) in enumerate(series):
            value = value_of(item)
            width = round(BAR_AREA * (value or 0) / maxima[index])
            group.bars.append(
                Bar(
                    series=css,
                    value=value or 0,
                    text=_format(value),
                    x=LABEL_WIDTH,
                    y=y + index * (BAR_HEIGHT + SERIES_GAP),
                    width=max(width, 1 if value else 0),
                    height=BAR_HEIGHT,
                )
            )
        groups.append(group)
        y += group_height + GROUP_GAP
    return Chart(
        id=id,
        title=title,
        description=description,
        series=[(css, legend) for css, legend, _ in series],
        groups=groups,
        width=LABEL_WIDTH + BAR_AREA + VALUE_GAP + VALUE_WIDTH,
        height=max(y, TOP + 20),
    )
