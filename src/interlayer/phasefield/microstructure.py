"""Microstructure builders: the fixed host-grain field phi_g(x, y) of a porous interlayer (2D).

Layout (y up, arrays indexed ``[iy, ix]``, row 0 at the bottom):

    y_top = ny dx   ─────────────  electrolyte side: dense solid electrolyte (SSE), phi = 1
    y_sse           ─────────────  SSE surface (breakthrough when Li reaches it)
                     interlayer:   grains (phi = 1) and pores (phi = 0)
    y_anode         ─────────────  initial Li surface (zeta = 1 below)
    0               ─────────────  Li anode current collector

phi has smooth interfaces: phi = 1 / (1 + exp(-d / w)) with d the signed distance to the solid
surface (positive inside the solid) and w the edge width (the model's interface width l by default,
so that the wetting map of :mod:`interlayer.phasefield.wetting` applies with grain_width = 1).
All grains are one order parameter (phi = sum of phi_g, which do not overlap), because the grains do
not evolve and every grain has the same wetting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from interlayer.errors import InputError


@dataclass(frozen=True)
class Microstructure:
    """A host-grain field on a uniform grid, SI.

    Attributes
    ----------
    phi : ndarray, shape (ny, nx)
        Host (grain or SSE) order parameter in [0, 1].
    dx : float
        Grid spacing, m.
    y_anode : float
        Height of the initial Li surface, m.
    y_sse : float
        Height of the SSE surface (end of the interlayer), m.
    edge_width : float
        Width w of the smooth grain edges, m.
    kind : str
        Builder that made it.
    info : dict
        Builder inputs (SI), copied into the results' attrs.
    """

    phi: np.ndarray
    dx: float
    y_anode: float
    y_sse: float
    edge_width: float
    kind: str = "custom"
    info: dict = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        return self.phi.shape

    @property
    def x(self) -> np.ndarray:
        """Cell-centre x coordinates, m."""
        return (np.arange(self.phi.shape[1]) + 0.5) * self.dx

    @property
    def y(self) -> np.ndarray:
        """Cell-centre y coordinates, m."""
        return (np.arange(self.phi.shape[0]) + 0.5) * self.dx

    @property
    def interlayer_thickness(self) -> float:
        return self.y_sse - self.y_anode

    @property
    def porosity(self) -> float:
        """Pore fraction of the interlayer region (1 - mean phi between y_anode and y_sse)."""
        rows = (self.y > self.y_anode) & (self.y < self.y_sse)
        return float(1.0 - self.phi[rows].mean()) if rows.any() else float("nan")


def _check_grid(nx: int, ny: int) -> None:
    from interlayer.phasefield.memory import check_build_memory

    for name, n in (("grid", nx), ("grid", ny)):
        if isinstance(n, bool) or not isinstance(n, (int, float, np.integer)) or not math.isfinite(n) \
                or int(n) != n or n < 8:
            raise InputError(name, f"needs at least 8 cells per direction, got {n!r}")
    check_build_memory(nx, ny)


def _positive(name: str, value: float, unit: str = "m") -> float:
    if not (value is not None and math.isfinite(value) and value > 0):
        raise InputError(name, f"must be > 0 {unit}, got {value!r}")
    return float(value)


def _logistic(d: np.ndarray, w: float) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(d / (2.0 * w)))


def _layout(ny: int, dx: float, anode_thickness: float, sse_thickness: float) -> tuple[float, float]:
    height = ny * dx
    y_anode = _positive("anode_thickness", anode_thickness)
    y_sse = height - _positive("sse_thickness", sse_thickness)
    if y_sse - y_anode < 4 * dx:
        raise InputError("grid", "anode and SSE leave fewer than 4 cells for the interlayer: enlarge the domain")
    return y_anode, y_sse


def empty(
    nx: int, ny: int, dx: float, anode_thickness: float, edge_width: float | None = None
) -> Microstructure:
    """No host at all (phi = 0 everywhere, no SSE): for verification of the bare Allen-Cahn model."""
    _check_grid(nx, ny)
    dx = _positive("dx", dx)
    y_anode = _positive("anode_thickness", anode_thickness)
    return Microstructure(
        np.zeros((ny, nx)), dx, y_anode, ny * dx, edge_width or dx, "empty", {"anode_thickness": y_anode}
    )


def straight_pores(
    nx: int,
    ny: int,
    dx: float,
    width: float,
    count: int = 1,
    anode_thickness: float | None = None,
    sse_thickness: float | None = None,
    edge_width: float | None = None,
) -> Microstructure:
    """A dense host slab crossed by ``count`` straight vertical slit pores (cracks) of width ``width``.

    Parameters
    ----------
    nx, ny : int
        Grid cells (>= 8 each).
    dx : float
        Grid spacing, m.
    width : float
        Pore (slit) width, m; must be at least 4 edge widths so that the pore is resolved.
    count : int
        Number of pores, evenly spaced across the domain.
    anode_thickness, sse_thickness : float, optional
        Li below and dense SSE above the slab, m (default 10 % of the height each).
    edge_width : float, optional
        Smooth-edge width, m (default dx).

    Examples
    --------
    >>> m = straight_pores(32, 64, 1e-7, width=1e-6)
    >>> round(m.porosity, 2)
    0.32
    """
    _check_grid(nx, ny)
    dx = _positive("dx", dx)
    width = _positive("pore_width", width)
    w = edge_width or dx
    if width < 4 * w:
        raise InputError("pore_width", f"{width:.3g} m is below 4 interface widths ({4 * w:.3g} m): refine the grid")
    if int(count) != count or count < 1:
        raise InputError("count", f"must be a positive integer, got {count!r}")
    if width >= nx * dx / count:
        raise InputError("pore_width", f"{count} pores of {width:.3g} m do not fit in {nx * dx:.3g} m")
    y_anode, y_sse = _layout(ny, dx, anode_thickness or 0.1 * ny * dx, sse_thickness or 0.1 * ny * dx)
    x = (np.arange(nx) + 0.5) * dx
    y = (np.arange(ny) + 0.5) * dx
    pitch = nx * dx / count
    centres = (np.arange(count) + 0.5) * pitch
    d_wall = np.min(np.abs(x[None, :] - centres[:, None]), axis=0) - 0.5 * width  # > 0 in the host
    d_bottom = y - y_anode
    d_top = y - y_sse
    # Signed distance of (above the anode AND outside the slits) OR (inside the SSE): max/min of SDFs.
    solid = np.maximum(np.minimum(d_bottom[:, None], d_wall[None, :]), d_top[:, None])
    info = {"pore_width": width, "pore_count": int(count), "anode_thickness": y_anode, "y_sse": y_sse}
    return Microstructure(_logistic(solid, w), dx, y_anode, y_sse, w, "pores", info)


def packed_particles(
    nx: int,
    ny: int,
    dx: float,
    diameter: float,
    porosity: float = 0.5,
    seed: int = 0,
    anode_thickness: float | None = None,
    sse_thickness: float | None = None,
    edge_width: float | None = None,
    polydispersity: float = 0.2,
    max_tries: int = 20000,
) -> Microstructure:
    """Random packed discs (seeded random sequential addition) between the anode and the SSE.

    Discs do not overlap and sit in the interlayer (they may touch the anode and the SSE); they are
    added until the solid fraction of the interlayer reaches ``1 - porosity`` or ``max_tries``
    placements fail (2D random sequential addition jams near a solid fraction of 0.55).

    Parameters
    ----------
    diameter : float
        Mean particle diameter, m (at least 6 edge widths).
    porosity : float
        Target pore fraction of the interlayer, in [0.45, 0.95].
    seed : int
        Seed of numpy's default_rng: the same seed gives the same microstructure.
    polydispersity : float
        Relative spread of diameters (uniform in d (1 +- polydispersity)).
    """
    _check_grid(nx, ny)
    dx = _positive("dx", dx)
    diameter = _positive("diameter", diameter)
    w = edge_width or dx
    if diameter < 6 * w:
        raise InputError("diameter", f"{diameter:.3g} m is below 6 interface widths ({6 * w:.3g} m)")
    if not 0.45 <= porosity <= 0.95:
        raise InputError("porosity", f"must be in [0.45, 0.95] for random packing, got {porosity!r}")
    y_anode, y_sse = _layout(ny, dx, anode_thickness or 0.1 * ny * dx, sse_thickness or 0.1 * ny * dx)
    width = nx * dx
    if y_sse - y_anode < diameter * (1 + polydispersity):
        raise InputError("diameter", "particles larger than the interlayer thickness")
    rng = np.random.default_rng(seed)
    area_target = (1.0 - porosity) * width * (y_sse - y_anode)
    discs: list[tuple[float, float, float]] = []
    area = 0.0
    tries = 0
    while area < area_target and tries < max_tries:
        tries += 1
        r = 0.5 * diameter * (1.0 + polydispersity * rng.uniform(-1, 1))
        cx = rng.uniform(0.0, width)
        cy = rng.uniform(y_anode + r, y_sse - r)
        # A gap of 2 edge widths between discs keeps every throat open on the grid.
        if any((cx - x0) ** 2 + (cy - y0) ** 2 < (r + r0 + 2 * w) ** 2 for x0, y0, r0 in discs):
            continue
        disc_area = math.pi * r * r
        # stop at the disc count nearest the target: a last disc that overshoots by more than it
        # fills would make small domains much denser than asked
        if area + disc_area - area_target > area_target - area:
            break
        discs.append((cx, cy, r))
        area += disc_area
    x = (np.arange(nx) + 0.5) * dx
    y = (np.arange(ny) + 0.5) * dx
    solid = (y - y_sse)[:, None] * np.ones((1, nx))
    for cx, cy, r in discs:
        solid = np.maximum(solid, r - np.hypot(x[None, :] - cx, y[:, None] - cy))
    info = {
        "particle_diameter": diameter,
        "porosity_target": porosity,
        "seed": int(seed),
        "particle_count": len(discs),
        "anode_thickness": y_anode,
        "y_sse": y_sse,
    }
    return Microstructure(_logistic(solid, w), dx, y_anode, y_sse, w, "particles", info)


def from_image(
    image,
    dx: float,
    anode_rows: int | None = None,
    sse_rows: int | None = None,
    threshold: float = 0.5,
    edge_width: float | None = None,
) -> Microstructure:
    """A microstructure from a 2D mask: an array, a ``.npy`` file or an image file (PNG, ...).

    The image is the interlayer, top row on the electrolyte side (as it is displayed). Pixels with
    value > ``threshold`` (after scaling 8/16-bit images to [0, 1]) are host grains. ``anode_rows``
    Li rows are added below and ``sse_rows`` SSE rows above (default: 10 % of the image height each,
    at least 4). One pixel is one grid cell of size ``dx``.

    Raises
    ------
    InputError
        If the file cannot be read or the mask is not 2D with at least 8 x 8 pixels.
    """
    dx = _positive("dx", dx)
    mask = read_mask(image)
    if mask.ndim != 2:
        raise InputError("image", f"must be a 2D mask, got an array of shape {mask.shape}")
    rows, cols = mask.shape
    _check_grid(cols, rows)
    if not np.all(np.isfinite(mask)):
        raise InputError("image", "contains NaN or infinite values")
    solid_img = mask[::-1, :] > threshold  # flip: image row 0 is the top
    na = anode_rows if anode_rows is not None else max(4, rows // 10)
    ns = sse_rows if sse_rows is not None else max(4, rows // 10)
    solid = np.vstack([np.zeros((na, cols), bool), solid_img, np.ones((ns, cols), bool)])
    from scipy.ndimage import distance_transform_edt

    # Signed distance in cells (+ inside the solid); the 0.5 shifts put the surface between pixels.
    d = np.where(solid, distance_transform_edt(solid) - 0.5, -(distance_transform_edt(~solid) - 0.5))
    w = edge_width or dx
    y_anode, y_sse = na * dx, (na + rows) * dx
    info = {"image_shape": [rows, cols], "threshold": threshold, "anode_thickness": y_anode, "y_sse": y_sse}
    if isinstance(image, (str, Path)):
        info["image"] = str(image)
    return Microstructure(_logistic(d * dx, w), dx, y_anode, y_sse, w, "image", info)


def _check_pixels(shape, path) -> None:
    """InputError if an image or array of ``shape`` has more pixels than the ``image_pixels`` limit."""
    from interlayer.limits import describe, limit

    pixels = math.prod(int(n) for n in shape)
    if pixels > limit("image_pixels"):
        dims = " x ".join(str(int(n)) for n in shape)
        raise InputError("image", f"{path} has {dims} = {pixels:,} pixels, above {describe('image_pixels')}; "
                                  "downsample the image")


def read_mask(image) -> np.ndarray:
    """A 2D float mask in [0, 1] from an array, a .npy file or an image (refused above the pixel limit)."""
    if isinstance(image, (str, Path)):
        path = Path(image)
        if not path.is_file():
            raise InputError("image", f"file not found: {path}")
        try:
            if path.suffix.lower() == ".npy":
                header = np.load(path, allow_pickle=False, mmap_mode="r")  # reads the shape, not the data
                _check_pixels(header.shape, path)
                return np.asarray(header, dtype=float)
            from PIL import Image

            with Image.open(path) as img:  # lazy: the header only, until the pixels are asked for
                _check_pixels((img.size[1], img.size[0]), path)
                arr = np.asarray(img)
        except InputError:
            raise
        except Exception as exc:  # PIL and numpy raise many unrelated types for bad files
            raise InputError("image", f"cannot read {path} ({type(exc).__name__}: {exc})") from None
        if arr.ndim == 3:  # colour image: use the luminance-like mean of the colour channels
            arr = arr[..., :3].mean(axis=2) if arr.shape[2] >= 3 else arr[..., 0]
        scale = 255.0 if arr.dtype == np.uint8 else (65535.0 if arr.dtype == np.uint16 else 1.0)
        return arr.astype(float) / scale
    try:
        return np.asarray(image, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError("image", f"cannot convert to a numeric array ({exc})") from None
