"""How long one /stats chart takes to draw (matplotlib Agg, PNG), and its size.

.venv/bin/python -m bench.bench_charts
"""

import statistics
import time

from bot.charts import bar_chart

REGIONS = [(f"Облусу {n} — узун аталыш, Кыргыз Республикасы", 100 - n * 5) for n in range(15)]


def main() -> None:
    bar_chart("warm-up", REGIONS)
    timings, size = [], 0
    for _ in range(20):
        started = time.perf_counter()
        size = len(bar_chart("Аймактар боюнча сунуштар", REGIONS))
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        f"15 bars: median {statistics.median(timings):.0f} ms, "
        f"max {timings[-1]:.0f} ms, PNG {size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
