"""What happens between the filled paper and the image file: printing, handling, the scanner.

Each degradation is a small function over an RGB page image; :func:`degrade` draws a seeded set of
them from a :class:`Profile`, applies them in physical order (paper, then scanner geometry, then
optics and sensor, then colour mode) and returns the record of every one applied, with its
parameters, for the ground truth.  Output encodings (JPEG quality, bilevel) are decided here too
and applied by the writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np

from samples.strokes import MM_PER_INCH

Record = dict[str, Any]


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
        out = [*self.paper]
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
    if plan.rotation:
        plan.optics.append({"name": "fed_rotated", "rotation": plan.rotation})
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


def printing(img: np.ndarray, rec: Record, dpi: int) -> np.ndarray:
    """Apply the printer's density and scatter toner specks over the page."""
    levels = np.arange(256, dtype=np.float32) / 255.0
    black = float(rec["black"])
    lut = np.clip(black + (255.0 - black) * levels ** rec["gamma"], 0, 255).astype(np.uint8)
    out = cv2.LUT(img, lut)
    rng = np.random.default_rng(rec["seed"])
    s = dpi / MM_PER_INCH
    h, w = out.shape[:2]
    for _ in range(rec["specks"]):
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        radius = max(1, round(float(rng.uniform(0.04, 0.18)) * s))
        grey = int(rng.integers(40, 160))
        cv2.circle(out, centre, radius, (grey, grey, grey), -1, cv2.LINE_AA)
    return out


# -- paper ------------------------------------------------------------------------------------


def paper_tone(img: np.ndarray, rgb: list[int]) -> np.ndarray:
    levels = np.arange(256, dtype=np.float32)
    if img.ndim == 2:
        lut = (levels * (float(np.mean(rgb)) / 255.0)).astype(np.uint8)
        return cv2.LUT(img, lut)
    table = np.stack([levels * (c / 255.0) for c in rgb], axis=1).astype(np.uint8)
    return cv2.LUT(img, table.reshape(1, 256, 3))


def fold(img: np.ndarray, y_mm: float, strength: float, dpi: int) -> np.ndarray:
    s = dpi / MM_PER_INCH
    h = img.shape[0]
    rows = np.arange(h, dtype=np.float32)
    centre = y_mm * s
    shade = strength * np.exp(-(((rows - centre) / (1.2 * s)) ** 2))
    light = 0.5 * strength * np.exp(-(((rows - centre - 1.5 * s) / (0.6 * s)) ** 2))
    factor = np.clip(1.0 - shade + light, 0, 1.05)[:, None]
    if img.ndim == 3:
        factor = factor[:, :, None]
    return np.clip(img.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def punch_holes(img: np.ndarray, dark: bool, dpi: int) -> np.ndarray:
    s = dpi / MM_PER_INCH
    h = img.shape[0]
    colour = (35, 35, 35) if dark else (250, 250, 250)
    out = img.copy()
    for dy in (-40.0, 40.0):
        centre = (round(12 * s), round(h / 2 + dy * s))
        cv2.circle(out, centre, round(3 * s), colour, -1, cv2.LINE_AA)
        if not dark:  # a light hole still shows a rim shadow
            cv2.circle(
                out, centre, round(3 * s), (150, 150, 150), max(1, round(0.2 * s)), cv2.LINE_AA
            )
    return out


def staple(img: np.ndarray, corner: str, dpi: int) -> np.ndarray:
    s = dpi / MM_PER_INCH
    w = img.shape[1]
    out = img.copy()
    x = 8 * s if corner == "top_left" else w - 20 * s
    p, q = (round(x), round(14 * s)), (round(x + 12 * s), round(6 * s))
    cv2.line(
        out,
        (p[0] + 3, p[1] + 4),
        (q[0] + 3, q[1] + 4),
        (170, 170, 170),
        max(2, round(1.2 * s)),
        cv2.LINE_AA,
    )
    cv2.line(out, p, q, (60, 60, 65), max(1, round(0.6 * s)), cv2.LINE_AA)
    return out


def stain(img: np.ndarray, rec: Record, dpi: int) -> np.ndarray:
    """A coffee ring (a dark rim round a faint disc) or a damp patch, brownish in colour."""
    s = dpi / MM_PER_INCH
    h, w = img.shape[:2]
    r = rec["r_mm"] * s
    cx, cy = rec["x_mm"] * s, rec["y_mm"] * s
    x0, y0 = max(0, int(cx - r * 1.3)), max(0, int(cy - r * 1.3))
    x1, y1 = min(w, int(cx + r * 1.3)), min(h, int(cy + r * 1.3))
    if x1 <= x0 or y1 <= y0:
        return img
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d = np.hypot(xx - cx, yy - cy) / r
    rng = np.random.default_rng(rec["seed"])
    theta = np.arctan2(yy - cy, xx - cx)
    wobble = 1.0 + sum(
        a * np.sin(k * theta + rng.uniform(0, 2 * np.pi))
        for k, a in ((2, 0.04), (3, 0.025), (7, 0.01))
    )
    d = d * wobble
    disc = np.clip((1.0 - d) * 6.0, 0, 1) * 0.35
    uneven = 0.6 + 0.4 * np.sin(theta + rng.uniform(0, 2 * np.pi)) ** 2
    rim = np.exp(-(((d - 1.0) / 0.035) ** 2)) * uneven if rec["ring"] else 0.0
    amount = rec["strength"] * (disc + rim)
    out = img.copy()
    region = out[y0:y1, x0:x1].astype(np.float32)
    brown = np.array([0.55, 0.42, 0.25], np.float32)
    if img.ndim == 3:
        region *= 1.0 - amount[:, :, None] * (1.0 - brown)
    else:
        region *= 1.0 - amount * (1.0 - float(brown.mean()))
    out[y0:y1, x0:x1] = np.clip(region, 0, 255).astype(np.uint8)
    return out


def show_through(front: np.ndarray, strength: float) -> np.ndarray:
    """The back of a printed sheet: the front mirrored, faint and soft."""
    mirrored = cv2.GaussianBlur(front[:, ::-1], (0, 0), 2.0).astype(np.float32)
    return np.clip(255.0 - (255.0 - mirrored) * strength, 0, 255).astype(np.uint8)


# -- scanner ----------------------------------------------------------------------------------


def geometry(img: np.ndarray, rec: Record, dpi: int) -> np.ndarray:
    """Print scaling about the page centre, then the sheet skewed and shifted on the glass.

    The scan area is ``margin_mm`` larger than the sheet on every side, so the image is that much
    bigger than the page and the scanner's background shows round it.
    """
    s = dpi / MM_PER_INCH
    h, w = img.shape[:2]
    cx, cy = w / 2, h / 2
    scale = rec["print_scale"]
    angle = rec["skew_deg"]
    dx, dy = rec["shift_mm"][0] * s, rec["shift_mm"][1] * s
    corner = img[2, 2]
    paper = tuple(int(v) for v in np.atleast_1d(corner)) * (3 if img.ndim == 2 else 1)
    printed = cv2.getRotationMatrix2D((cx, cy), 0, scale)
    content = cv2.warpAffine(img, printed, (w, h), flags=cv2.INTER_LINEAR, borderValue=paper)
    m = round(rec.get("margin_mm", 0.0) * s)
    placed = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    placed[:, 2] += (dx + m, dy + m)
    background = (28, 28, 30) if rec["background"] == "dark" else (238, 238, 236)
    size = (w + 2 * m, h + 2 * m)
    return cv2.warpAffine(content, placed, size, flags=cv2.INTER_LINEAR, borderValue=background)


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma)


def streaks(img: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Vertical lines along the feed direction: dust on the glass, a dirty drum."""
    rng = np.random.default_rng(seed)
    out = img.astype(np.int16)
    w = img.shape[1]
    for _ in range(count):
        x = int(rng.integers(0, w - 4))
        width = int(rng.integers(1, 4))
        delta = int(rng.choice([-1, 1]) * rng.integers(12, 60))
        out[:, x : x + width] += delta
    return np.clip(out, 0, 255).astype(np.uint8)


def noise(img: np.ndarray, sigma: float, seed: int) -> np.ndarray:
    """Sensor noise, one plane shared by the colour channels (it is mostly luminance).

    Drawn at half resolution and enlarged: grain of about two pixels, and four times fewer draws.
    """
    cv2.setRNGSeed(seed)
    h, w = img.shape[:2]
    small: np.ndarray = np.empty(((h + 1) // 2, (w + 1) // 2), np.int16)
    cv2.randn(small, np.array([0.0]), np.array([sigma]))
    plane = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
    if img.ndim == 3:
        plane = cv2.merge([plane, plane, plane])
    return np.asarray(cv2.add(img, plane, dtype=cv2.CV_8U))


def levels(img: np.ndarray, black: int, white: int) -> np.ndarray:
    """Stretch ``black``..``white`` to 0..255: paper and its noise go white, light ink gets lighter."""
    lut = np.clip((np.arange(256, dtype=np.float32) - black) * 255.0 / (white - black), 0, 255)
    return cv2.LUT(img, lut.astype(np.uint8))


def rotate_fed(img: np.ndarray, rotation: int) -> np.ndarray:
    """The image of a sheet fed turned: ``rotation`` is what a reader applies (clockwise) to undo it."""
    return np.ascontiguousarray(np.rot90(img, k=rotation // 90))


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
        elif name == "fed_rotated":
            img = rotate_fed(img, rec["rotation"])
    return img


# -- colour mode ------------------------------------------------------------------------------


def to_gray(img: np.ndarray, method: str = "luma") -> np.ndarray:
    if img.ndim == 2:
        return img
    if method == "green":  # some scanners build grey from the green channel only
        return np.ascontiguousarray(img[:, :, 1])
    return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)


def to_bilevel(gray: np.ndarray, method: str, seed: int = 0) -> np.ndarray:
    """A bool image, True = white: Otsu's threshold, a fixed one, or error-diffusion dithering."""
    if method == "dither":
        from PIL import Image

        return np.asarray(Image.fromarray(gray).convert("1"), dtype=bool)
    if method.startswith("fixed"):
        level = int(method.split(":")[1]) if ":" in method else 160
        return gray > level
    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return out > 0


def colour_record(colour: str, gray_method: str, bilevel: str, quality: int | None) -> list[Record]:
    out: list[Record] = []
    if colour in ("gray", "bilevel"):
        out.append({"name": "gray", "method": gray_method})
    if colour == "bilevel":
        out.append({"name": "bilevel", "method": bilevel})
    if quality is not None:
        out.append({"name": "jpeg", "quality": quality})
    return out
