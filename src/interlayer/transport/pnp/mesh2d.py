"""2D mesh: the Li anode bearing a triangular Li protrusion, the SSE opposite (paper Supp. Fig. 14).

Coordinates are dimensionless (over the layer thickness L): ``x`` in ``[0, width]`` along the anode,
``y`` in ``[0, 1]`` from the anode (``y = 0``) to the SSE (``y = 1``). The protrusion is an isosceles
triangle of base ``base`` and height ``height`` centred at ``x = width/2``; the side walls are mirror
planes (zero flux).

Construction: a tensor grid (uniform in x, graded toward both faces in y), the points inside and
near the protrusion removed, points placed on the protrusion faces (finer toward the apex) plus a ring
around the apex, then a Delaunay triangulation (:func:`scipy.spatial.Delaunay`) with the triangles
inside the protrusion dropped. The box-method couplings are the cotangent (Voronoi) weights
``w_ij = (cot a + cot b)/2``; the control volumes are a third of each adjacent triangle. Why not
scikit-fem: it has no mesher for this shape, and the box method needs only the triangles.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import Delaunay

from interlayer.errors import InputError
from interlayer.transport.pnp.mesh1d import graded_nodes
from interlayer.transport.pnp.system import Boundary, Graph


def _protrusion(width, base, height):
    xc = width / 2
    return np.array([[xc - base / 2, 0.0], [xc, height], [xc + base / 2, 0.0]])


def _inside(p, tri, pad=0.0):
    """Points strictly inside the protrusion triangle grown by ``pad`` (normal distance)."""
    (x0, _), (xa, ya), (x1, _) = tri
    x, y = p[:, 0], p[:, 1]
    half = (x1 - x0) / 2
    # distance below each slanted face (positive inside): face line through base corner and apex
    slope_len = np.hypot(half, ya)
    left = (ya * (x - x0) - half * y) / slope_len
    right = (ya * (x1 - x) - half * y) / slope_len
    return (left > -pad) & (right > -pad) & (y < ya + pad) & (y > -1.0)


def protrusion_mesh(
    width: float = 1.0,
    base: float = 0.2,
    height: float = 0.2,
    nx: int = 60,
    ny: int = 60,
    h_min: float = 2e-3,
    growth: float = 1.15,
) -> Graph:
    """Box-method graph of the interlayer with a triangular Li protrusion (dimensionless).

    Parameters
    ----------
    width : float
        Lateral period (over L).
    base, height : float
        Protrusion base width and height (over L); ``height < 1``.
    nx : int
        Grid columns across ``width``.
    ny : int
        Rough number of rows (the graded y-grid uses ``h_min`` and ``growth``, capped at ``1/ny``).
    h_min : float
        Row spacing at the anode and the SSE, and the point spacing at the protrusion apex.
    growth : float
        Ratio of neighbouring row spacings.

    Returns
    -------
    Graph
        With boundaries ``"anode"`` (flat Li surface and protrusion faces), ``"sse"``, and
        ``"tip"`` (the apex node) and ``"base"`` (the flat anode node farthest from the protrusion).
    """
    if not (0 < height < 0.9 and 0 < base < width):
        raise InputError("protrusion", f"need 0 < height < 0.9 and 0 < base < width (got {height}, {base}, {width})")
    tri = _protrusion(width, base, height)
    xs = np.linspace(0.0, width, nx + 1)
    ys = graded_nodes(1.0, h_min, growth, h_max=1.0 / ny)
    gx, gy = np.meshgrid(xs, ys)
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    dx = width / nx
    # clear the protrusion and a band of about half a cell around it
    pts = pts[~_inside(pts, tri, pad=0.5 * dx)]
    face_pts = []
    # points on the faces: spacing from dx at the base to h_min-ish at the apex (geometric)
    s_apex = max(h_min, 0.05 * dx)
    for corner in (tri[0], tri[2]):
        apex = tri[1]
        length = float(np.hypot(*(apex - corner)))
        # march from the corner with a step below the local grid spacing (rows are dense near
        # y = 0) and the apex spacing grading, so the face edges are Delaunay edges
        s_face = [0.0]
        while True:
            y_here = corner[1] + (apex[1] - corner[1]) * s_face[-1] / length
            dy = float(np.interp(y_here, ys[:-1], np.diff(ys)))
            step = 0.7 * min(dx, dy, s_apex + (growth - 1.0) * (length - s_face[-1]))
            if s_face[-1] + 1.5 * step >= length:
                break
            s_face.append(s_face[-1] + step)
        s_nodes = np.array(s_face + [length])
        spacing = np.gradient(s_nodes)
        direction = (apex - corner) / length
        face_pts.append(corner + s_nodes[:, None] * direction)
        # one row offset along the outward normal by 0.7 of the local spacing: regular first cells
        normal = np.array([-direction[1], direction[0]])
        if normal @ (np.array([apex[0], 0.0]) - corner) > 0:
            normal = -normal
        inner = slice(1, -1)
        face_pts.append(corner + s_nodes[inner, None] * direction + 0.7 * spacing[inner, None] * normal)
    # a ring around the apex (the sharpest feature: field focusing)
    r_ring = 2 * s_apex
    ang = np.linspace(0, np.pi, 9)
    ring = tri[1] + r_ring * np.column_stack([np.cos(ang), np.sin(ang)])
    face_pts.append(ring)
    extra = np.vstack(face_pts)
    extra = extra[(extra[:, 0] >= 0) & (extra[:, 0] <= width) & (extra[:, 1] >= 0) & (extra[:, 1] <= 1)]
    extra = extra[~_inside(extra, tri, pad=-1e-12)]
    pts = np.vstack([pts, extra])
    pts = np.unique(np.round(pts, 12), axis=0)
    dl = Delaunay(pts)
    simplices = dl.simplices
    cent = pts[simplices].mean(axis=1)
    simplices = simplices[~_inside(cent, tri, pad=-1e-12)]
    # drop unused points and renumber
    used = np.unique(simplices)
    remap = -np.ones(pts.shape[0], dtype=int)
    remap[used] = np.arange(used.size)
    pts = pts[used]
    simplices = remap[simplices]
    area_expected = width - 0.5 * base * height
    return _graph_from_triangles(pts, simplices, tri, width, area_expected)


def _graph_from_triangles(pts, tris, tri_shape, width, area_expected) -> Graph:
    p = pts[tris]  # (T, 3, 2)
    e1 = p[:, 0] - p[:, 2]
    e2 = p[:, 1] - p[:, 0]
    cross = e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0]
    area = 0.5 * np.abs(cross)
    total = float(area.sum())
    if abs(total - area_expected) > 1e-9 * area_expected:
        raise InputError("mesh", f"triangulation does not cover the domain ({total:.12g} vs {area_expected:.12g}); refine it")
    # cotangent of the angle at vertex k, opposite edge (k+1, k+2)
    edges_opp = [(1, 2), (2, 0), (0, 1)]
    rows, cols, wts = [], [], []
    for k, (a, b) in enumerate(edges_opp):
        u = p[:, a] - p[:, k]
        v = p[:, b] - p[:, k]
        cot = (u[:, 0] * v[:, 0] + u[:, 1] * v[:, 1]) / np.abs(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0])
        i, j = tris[:, a], tris[:, b]
        rows.append(np.minimum(i, j))
        cols.append(np.maximum(i, j))
        wts.append(0.5 * cot)
    row, col, wt = np.concatenate(rows), np.concatenate(cols), np.concatenate(wts)
    key = row * pts.shape[0] + col
    uniq, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    w = np.bincount(inv, weights=wt)
    ei, ej = uniq // pts.shape[0], uniq % pts.shape[0]
    boundary_edge = counts == 1
    # Negative Voronoi couplings (obtuse pairs on the boundary) would break the M-matrix property
    # of SG; clipping them is first-order local and is counted in the graph's metadata.
    n_negative = int(np.sum(w < -1e-12))
    w = np.maximum(w, 0.0)
    volume = np.bincount(tris.ravel(), weights=np.repeat(area / 3.0, 3), minlength=pts.shape[0])
    # boundary classification
    bi, bj = ei[boundary_edge], ej[boundary_edge]
    on_anode = _on_anode(pts, tri_shape)
    on_sse = np.abs(pts[:, 1] - 1.0) < 1e-12
    blen = np.hypot(*(pts[bi] - pts[bj]).T)
    boundaries = {}
    for name, mask in (("anode", on_anode), ("sse", on_sse)):
        sel = mask[bi] & mask[bj]
        acc = np.bincount(np.concatenate([bi[sel], bj[sel]]), weights=np.concatenate([blen[sel], blen[sel]]) / 2,
                          minlength=pts.shape[0])
        nodes = np.nonzero(acc > 0)[0]
        boundaries[name] = Boundary(nodes, acc[nodes])
    apex = tri_shape[1]
    tip = int(np.argmin(np.hypot(*(pts - apex).T)))
    flat = np.nonzero(on_anode & (pts[:, 1] < 1e-12))[0]
    base_node = int(flat[np.argmin(pts[flat, 0])])
    boundaries["tip"] = Boundary(np.array([tip]), np.array([1.0]))
    boundaries["base"] = Boundary(np.array([base_node]), np.array([1.0]))
    return Graph(pts, volume, ei, ej, w, boundaries, n_negative, tris)


def _on_anode(pts, tri):
    """Nodes on the flat Li surface (y = 0) or on a protrusion face."""
    (x0, _), (xa, ya), (x1, _) = tri
    x, y = pts[:, 0], pts[:, 1]
    flat = np.abs(y) < 1e-12
    half = (x1 - x0) / 2
    slope_len = np.hypot(half, ya)
    left = np.abs(ya * (x - x0) - half * y) / slope_len < 1e-9
    right = np.abs(ya * (x1 - x) - half * y) / slope_len < 1e-9
    within = (y >= -1e-12) & (y <= ya + 1e-12)
    return flat | ((left | right) & within)
