"""Building blocks of the PNP solver: Bernoulli function, meshes."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlayer.errors import InputError
from interlayer.transport.pnp.mesh1d import graded_nodes
from interlayer.transport.pnp.mesh2d import protrusion_mesh
from interlayer.transport.pnp.sg import bernoulli, bernoulli_prime


@given(st.floats(min_value=-500, max_value=500, allow_nan=False))
def test_bernoulli_identities(x):
    b, bm = bernoulli(np.array([x]))[0], bernoulli(np.array([-x]))[0]
    # B(x) - B(-x) = -x makes SG reduce to pure drift; B(-x) = e^x B(x) makes it exact in equilibrium
    assert b - bm == pytest.approx(-x, rel=1e-12, abs=1e-12)
    if abs(x) < 300:
        assert bm == pytest.approx(np.exp(x) * b, rel=1e-10)


@given(st.floats(min_value=-50, max_value=50, allow_nan=False))
def test_bernoulli_derivative_matches_finite_difference(x):
    h = 1e-6
    fd = (bernoulli(np.array([x + h]))[0] - bernoulli(np.array([x - h]))[0]) / (2 * h)
    assert bernoulli_prime(np.array([x]))[0] == pytest.approx(fd, rel=1e-5, abs=1e-8)


def test_graded_nodes_grade_smoothly():
    x = graded_nodes(1.0, 1e-7, 1.1, h_max=0.01)
    h = np.diff(x)
    assert h[0] == pytest.approx(1e-7, rel=0.05)  # each half is rescaled to exactly L/2
    ratio = h[1:] / h[:-1]
    assert np.max(ratio) < 1.1 * (1 + 1e-6) and np.max(1 / ratio) < 1.1 * (1 + 1e-6)  # smooth grading
    assert np.max(h) < 0.0101
    with pytest.raises(InputError):
        graded_nodes(1.0, -1.0)


@pytest.mark.parametrize("args", [dict(nx=20, ny=20, h_min=6e-3), dict(nx=40, ny=40, h_min=3e-3)])
def test_protrusion_mesh_covers_the_domain_and_its_boundaries(args):
    g = protrusion_mesh(**args)
    face = np.hypot(0.1, 0.2)
    assert g.volume.sum() == pytest.approx(1.0 - 0.5 * 0.2 * 0.2, rel=1e-12)  # rectangle minus triangle
    assert g.boundaries["anode"].area.sum() == pytest.approx(1.0 - 0.2 + 2 * face, rel=1e-12)
    assert g.boundaries["sse"].area.sum() == pytest.approx(1.0, rel=1e-12)
    assert np.allclose(g.coords[g.boundaries["tip"].nodes[0]], [0.5, 0.2])
    assert np.all(g.w >= 0) and g.clipped_couplings < 0.01 * g.w.size
    # Voronoi weights reproduce a linear field exactly: sum_j w_ij (y_j - y_i) = 0 at interior nodes
    y = g.coords[:, 1]
    flux = g.w * (y[g.ej] - y[g.ei])
    net = np.bincount(g.ei, flux, g.n_nodes) - np.bincount(g.ej, flux, g.n_nodes)
    interior = np.ones(g.n_nodes, dtype=bool)
    for b in ("anode", "sse"):
        interior[g.boundaries[b].nodes] = False
    interior[(g.coords[:, 0] < 1e-12) | (g.coords[:, 0] > 1 - 1e-12)] = False
    assert np.max(np.abs(net[interior])) < 1e-9 * np.max(np.abs(flux))


def test_protrusion_mesh_rejects_bad_geometry():
    with pytest.raises(InputError):
        protrusion_mesh(height=0.95)
