"""Bar charts as PNG for phones: horizontal bars (long Kyrgyz and Russian names fit), the
count at the end of each bar. A Figure on the Agg canvas, without pyplot's global state, so
handlers can draw in a worker thread and keep the event loop free."""

import io
import textwrap

MAX_BARS = 15


def bar_chart(title: str, items: list[tuple[str, int]]) -> bytes:
    # Imported on first use: matplotlib and numpy weigh about 50 MiB, and most processes
    # never draw a chart.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    items = items[:MAX_BARS]
    labels = ["\n".join(textwrap.wrap(name, 28)) or "—" for name, _ in items]
    values = [count for _, count in items]
    figure = Figure(figsize=(7, 1.2 + 0.55 * max(len(items), 1)), dpi=130)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    bars = axes.barh(labels[::-1], values[::-1], color="#2f6fb0")
    axes.bar_label(bars, padding=3, fontsize=10)
    axes.set_title(title, fontsize=13, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="y", labelsize=10)
    axes.set_xlim(0, max(values, default=0) * 1.15 + 1)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
