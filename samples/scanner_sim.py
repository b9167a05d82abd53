"""What happens between the filled paper and the image file: printing, handling, the scanner.

A :class:`Profile` holds the chances and ranges; :func:`plan_scan` and :func:`plan_printing` draw a
seeded set of effects for one page and :func:`apply` applies them in physical order (paper, then
scanner geometry, then optics and sensor).  Every effect is recorded with its parameters for the
ground truth; the pixel work itself is in :mod:`samples.effects`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from samples.effects import (
    Record,
    blur,
    fold,
    geometry,
    geometry_matrices,
    levels,
    noise,
    paper_tone,
    punch_holes,
    rotate_fed,
    stain,
    staple,
    streaks,
)
from samples.strokes import MM_PER_INCH


@dataclass(frozen=True)
class Profile:
    """Chances (0..1) and ranges of scanning and handling effects."""

    name: str
    scale: tuple[float, float] = (0.93, 1.0)  # printer "fit to page"
    scale_chance: float = 0.5
    rotation_deg: float = 1.5  # skew, uniform in +-rotation_deg
    shift_mm: float = 3.0
    margin_mm: tuple[float, float] = (0.0, 4.0)  # scan area beyond the sheet on every side
    upside_down: float = 0.03
    sideways: float = 0.02
    blur_sigma: tuple[float, float] = (0.3, 0.8)
    blur_chance: float = 0.6
    noise_sigma: tuple[float, float] = (1.0, 5.0)
    paper_tone: float = 0.5
    jpeg_quality: tuple[int, int] = (60, 92)
    fold: float = 0.08
    punch_holes: float = 0.05
    staple: float = 0.03  # a staple (or its shadow) at a top corner, often over a marker
    dark_border: float = 0.1
    streaks: float = 0.05
    levels: float = 0.5  # the scanner's own contrast stretch that turns paper white
    stain: float = 0.02  # a coffee ring or a damp patch
    printing: float = 0.4  # the laser printer's own marks: pale or heavy toner, specks
    dither: float = 0.1  # of bilevel pages: dithered ("photo" mode) rather than thresholded
    colour: float = 0.35  # of JPEG/image batches: scanned in colour rather than greyscale
    # stack handling, per batch or respondent
    duplex: float = 0.15  # batch scanned duplex: a blank back after every sheet
    out_of_order: float = 0.06  # per respondent
    missing_page: float = 0.03  # per respondent
    other_form: float = 0.15  # per batch: a page of another form in the stack
    blank_sheet: float = 0.1  # per batch: an empty sheet in the stack
    extra: dict[str, float] = field(default_factory=dict)


PROFILES: dict[str, Profile] = {
    "default": Profile("default"),
    "clean": Profile(
        "clean",
        scale_chance=0.2,
        rotation_deg=0.5,
        shift_mm=1.0,
        margin_mm=(0.0, 2.0),
        upside_down=0.0,
        sideways=0.0,
        blur_sigma=(0.2, 0.5),
        blur_chance=0.3,
        noise_sigma=(0.5, 1.5),
        paper_tone=0.2,
        jpeg_quality=(85, 95),
        fold=0.0,
        stain=0.0,
        printing=0.0,
        punch_holes=0.0,
        staple=0.0,
        dark_border=0.0,
        streaks=0.0,
        dither=0.0,
        duplex=0.0,
        out_of_order=0.0,
        missing_page=0.0,
        other_form=0.0,
        blank_sheet=0.0,
    ),
    "harsh": Profile(
        "harsh",
        scale_chance=0.8,
        rotation_deg=3.0,
        shift_mm=4.0,
        margin_mm=(0.0, 6.0),
        upside_down=0.1,
        sideways=0.06,
        blur_sigma=(0.5, 1.2),
        blur_chance=0.9,
        noise_sigma=(3.0, 10.0),
        paper_tone=0.8,
        jpeg_quality=(50, 75),
        fold=0.3,
        stain=0.1,
        printing=0.8,
        punch_holes=0.2,
        staple=0.1,
        dark_border=0.35,
        streaks=0.25,
        dither=0.3,
        duplex=0.4,
        out_of_order=0.2,
        missing_page=0.1,
        other_form=0.5,
        blank_sheet=0.4,
    ),
}
# No degradation at all: the filled page exactly as drawn (tests measure ink placement with it).
PROFILES["none"] = replace(
    PROFILES["clean"],
    name="none",
    scale_chance=0.0,
    rotation_deg=0.0,
    shift_mm=0.0,
    margin_mm=(0.0, 0.0),
    blur_chance=0.0,
    noise_sigma=(0.0, 0.0),
    paper_tone=0.0,
    jpeg_quality=(95, 95),
    colour=1.0,
    levels=0.0,
)


@dataclass
class ScanPlan:
    """The effects chosen for one page."""

    paper: list[Record] = field(default_factory=list)
    geometry: Record = field(default_factory=dict)
    optics: list[Record] = field(default_factory=list)
    rotation: int = 0  # 0, 90, 180, 270: clockwise degrees a reader applies to make it upright

    def records(self) -> list[Record]:
        """Every effect in the order applied: paper, feed, placement on the glass, optics."""
        out = [*self.paper]
        if self.rotation:
            out.append({"name": "fed_rotated", "rotation": self.rotation})
        if self.geometry:
            out.append(self.geometry)
        return out + self.optics


def plan_scan(
    rng: np.random.Generator, profile: Profile, page_size_mm: tuple[float, float]
) -> ScanPlan:
    plan = ScanPlan()
    p = profile
    if rng.random() < p.paper_tone:
        base = float(rng.uniform(232, 252))  # recycled and cheap paper: greyish, yellowish
        tint = (
            int(min(255.0, base + rng.uniform(0, 4))),
            int(min(255.0, base + rng.uniform(-1, 2))),
            int(base - rng.uniform(0, 8)),
        )
        plan.paper.append({"name": "paper_tone", "rgb": list(tint)})
    if rng.random() < p.fold:
        plan.paper.append(
            {
                "name": "fold",
                "y_mm": round(float(page_size_mm[1] * rng.choice([1 / 3, 1 / 2, 2 / 3])), 1),
                "strength": round(float(rng.uniform(0.04, 0.15)), 3),
            }
        )
    if rng.random() < p.punch_holes:
        plan.paper.append({"name": "punch_holes", "dark": bool(rng.random() < 0.5)})
    if rng.random() < p.stain:
        plan.paper.append(
            {
                "name": "stain",
                "x_mm": round(float(rng.uniform(20, page_size_mm[0] - 20)), 1),
                "y_mm": round(float(rng.uniform(20, page_size_mm[1] - 20)), 1),
                "r_mm": round(float(rng.uniform(15, 40)), 1),
                "strength": round(float(rng.uniform(0.05, 0.2)), 3),
                "ring": bool(rng.random() < 0.6),
                "seed": int(rng.integers(1 << 31)),
            }
        )
    if rng.random() < p.staple:
        plan.paper.append({"name": "staple", "corner": str(rng.choice(["top_left", "top_right"]))})
    scale = float(rng.uniform(*p.scale)) if rng.random() < p.scale_chance else 1.0
    angle = float(rng.uniform(-p.rotation_deg, p.rotation_deg))
    shift = rng.uniform(-p.shift_mm, p.shift_mm, 2) if p.shift_mm else np.zeros(2)
    margin = float(rng.uniform(*p.margin_mm))
    if scale != 1.0 or angle or shift.any() or margin:
        plan.geometry = {
            "name": "geometry",
            "print_scale": round(scale, 4),
            "skew_deg": round(angle, 3),
            "shift_mm": [round(float(shift[0]), 2), round(float(shift[1]), 2)],
            "margin_mm": round(margin, 2),
            "background": "dark" if rng.random() < p.dark_border else "light",
        }
    levels = rng.random() < p.levels
    if rng.random() < p.blur_chance:
        plan.optics.append(
            {"name": "blur", "sigma_px": round(float(rng.uniform(*p.blur_sigma)), 2)}
        )
    if rng.random() < p.streaks:
        plan.optics.append(
            {
                "name": "streaks",
                "count": int(rng.integers(1, 5)),
                "seed": int(rng.integers(1 << 31)),
            }
        )
    if p.noise_sigma[1] > 0:
        plan.optics.append(
            {
                "name": "noise",
                "sigma": round(float(rng.uniform(*p.noise_sigma)), 2),
                "seed": int(rng.integers(1 << 31)),
            }
        )
    if levels:
        plan.optics.append(
            {
                "name": "levels",
                "black": int(rng.integers(0, 40)),
                "white": int(rng.integers(215, 248)),
            }
        )
    roll = rng.random()
    if roll < p.upside_down:
        plan.rotation = 180
    elif roll < p.upside_down + p.sideways:
        plan.rotation = int(rng.choice([90, 270]))
    return plan


def plan_printing(rng: np.random.Generator, profile: Profile) -> Record | None:
    """How the office printer rendered the blank form (before anyone wrote on it)."""
    if rng.random() >= profile.printing:
        return None
    return {
        "name": "printing",
        "black": int(rng.integers(0, 70)),  # toner running low: black prints grey
        "gamma": round(float(rng.uniform(0.8, 1.25)), 3),
        "specks": int(rng.poisson(8)),
        "seed": int(rng.integers(1 << 31)),
    }


def apply(img: np.ndarray, plan: ScanPlan, dpi: int) -> np.ndarray:
    for rec in plan.paper:
        name = rec["name"]
        if name == "paper_tone":
            img = paper_tone(img, rec["rgb"])
        elif name == "fold":
            img = fold(img, rec["y_mm"], rec["strength"], dpi)
        elif name == "punch_holes":
            img = punch_holes(img, rec["dark"], dpi)
        elif name == "staple":
            img = staple(img, rec["corner"], dpi)
        elif name == "stain":
            img = stain(img, rec, dpi)
    if plan.rotation:  # the sheet went in turned: the scanner's own effects follow its frame
        img = rotate_fed(img, plan.rotation)
    if plan.geometry:
        img = geometry(img, plan.geometry, dpi)
    for rec in plan.optics:
        name = rec["name"]
        if name == "blur":
            img = blur(img, rec["sigma_px"])
        elif name == "streaks":
            img = streaks(img, rec["count"], rec["seed"])
        elif name == "noise":
            img = noise(img, rec["sigma"], rec["seed"])
        elif name == "levels":
            img = levels(img, rec["black"], rec["white"])
    return img


def page_transform(
    shape: tuple[int, ...], plan: ScanPlan, dpi: int
) -> tuple[np.ndarray, tuple[int, int]]:
    """Where template millimetres land in the final image: a 3x3 matrix to pixels, and the size.

    ``shape`` is the page image's shape before scanning (the page at ``dpi``).  Covers print
    scaling, skew, shift, the scan margin and a sideways or upside-down feed.
    """
    s = dpi / MM_PER_INCH
    t = np.diag([s, s, 1.0])
    h, w = shape[:2]
    for _ in range(plan.rotation // 90):  # np.rot90: (x, y) -> (y, w - 1 - x)
        t = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, w - 1.0], [0.0, 0.0, 1.0]]) @ t
        w, h = h, w
    if plan.geometry:
        printed, placed, (w, h) = geometry_matrices((h, w), plan.geometry, dpi)
        t = np.vstack([placed, [0, 0, 1]]) @ np.vstack([printed, [0, 0, 1]]) @ t
    return t, (w, h)


def plan_bilevel(rng: np.random.Generator, profile: Profile) -> Record:
    """How one page's black-and-white conversion is set.  Office scanners threshold locally
    against the paper around each pixel, at a darkness the operator (or the driver's default)
    chose; older drivers use one global level.  Drawn per page: batches are scanned on several
    machines and settings change between stacks."""
    if rng.random() < profile.dither:
        return {"name": "bilevel", "method": "dither"}
    roll = rng.random()
    if roll < 0.6:
        return {
            "name": "bilevel",
            "method": "adaptive",
            "window_mm": round(float(rng.uniform(1.5, 4.0)), 2),
            "offset": int(rng.integers(12, 40)),
            "floor": int(rng.integers(90, 135)),
        }
    if roll < 0.8:
        return {"name": "bilevel", "method": "otsu"}
    return {"name": "bilevel", "method": "fixed", "level": int(rng.integers(130, 186))}


def colour_record(
    colour: str, gray_method: str, bilevel: Record | None, quality: int | None
) -> list[Record]:
    out: list[Record] = []
    if colour in ("gray", "bilevel"):
        out.append({"name": "gray", "method": gray_method})
    if colour == "bilevel" and bilevel is not None:
        out.append(dict(bilevel))
    if quality is not None:
        out.append({"name": "jpeg", "quality": quality})
    return out
