"""Sticker counting on synthetic poster photos: exactness, flag rate and speed.

Prints, over N photos of the seed's traffic-light posters with random stickers (12-19 mm, touching
pairs, some of another traffic-light colour), how many zone counts were exact, flagged, or wrong
without a flag (the number that matters: it should be 0), and the seconds per photo.
Run: .venv/bin/python benchmarks/bench_stickers.py [--photos N] [--hard]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from forms.api import print_form
from samples.poster_photos import Sticker, poster_photo, scatter
from scanner.stickers import STICKER_COLOURS, read_poster

ROOT = Path(__file__).resolve().parent.parent
POSTERS = ROOT / "layouts" / "liikennevaloaanestys.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=30)
    parser.add_argument(
        "--hard", action="store_true", help="overlaps, stronger tilt, darker light, JPEG 45"
    )
    args = parser.parse_args()
    tilt, gradient, quality = (0.16, 0.65, 45) if args.hard else (0.08, 0.35, 80)
    # hard: touching stickers may also overlap, down to 0.6 diameters between centres
    touch = (0.6, 1.0) if args.hard else (0.97, 0.97)
    outcome: Counter[str] = Counter()
    seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "posters.pdf"
        template = print_form(POSTERS, pdf).template
        for n in range(args.photos):
            rng = np.random.default_rng(n)
            index = n % len(template.pages)
            page = template.pages[index]
            diameter = float(rng.choice([12.0, 16.0, 19.0]))
            stickers: list[Sticker] = []
            truth: dict[str, Counter[str]] = {}
            for zone in page.fields:
                colours = [str(zone.colour)] * int(rng.integers(0, 10))
                colours += [str(c) for c in rng.choice(list(STICKER_COLOURS), rng.integers(0, 3))]
                pairs = int(rng.integers(0, 4))
                placed = scatter(zone.box, sorted(colours), rng, diameter, pairs, touch=touch)
                stickers += placed
                truth[zone.id] = Counter(s.colour for s in placed)
            photo = poster_photo(
                pdf,
                index,
                stickers,
                seed=n,
                px_per_mm=5.0,
                out_width=int(rng.choice([1400, 2000, 3000])),
                tilt=tilt,
                gradient=gradient,
                jpeg_quality=quality,
            )
            start = time.perf_counter()
            reading = read_poster(photo, template)
            seconds += time.perf_counter() - start
            for zone in reading.zones:
                for count in zone.stickers:
                    right = count.count == truth[zone.field_id][count.colour]
                    key = ("flagged " if count.flagged else "") + ("exact" if right else "wrong")
                    outcome[key] += 1
    total = sum(outcome.values())
    print(f"photos:              {args.photos}{' (hard)' if args.hard else ''}")
    print(f"zone-colour counts:  {total}")
    for key in ("exact", "flagged exact", "flagged wrong", "wrong"):
        print(f"{key + ':':<20} {outcome[key]:5d}  ({100 * outcome[key] / total:.1f} %)")
    print(f"seconds per photo:   {seconds / args.photos:.2f}")


if __name__ == "__main__":
    main()
