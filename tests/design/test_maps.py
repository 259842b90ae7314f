import numpy as np
import pytest

from interlayer.design import evaluate
from interlayer.design.maps import design_map
from interlayer.errors import InputError


@pytest.mark.parametrize("criterion", ["failure", "legacy"])
def test_map_agrees_with_single_evaluate_calls(criterion):
    axes = {
        "sigma_e": np.geomspace(1e-6, 10.0, 7),
        "sigma_ion": np.geomspace(1e-3, 1e-1, 4),
        "contact_angle": np.radians([70, 100, 120, 150]),
        "thickness": np.array([20e-6, 55e-6, 90e-6]),
        "porosity": np.array([0.2, 0.35]),
        "current_density": np.array([2.0, 10.0, 40.0]),
        "temperature": np.array([298.15, 333.15]),
    }
    ds = design_map(criterion_name=criterion, **axes)
    rng = np.random.default_rng(42)
    for _ in range(40):
        pick = {k: int(rng.integers(v.size)) for k, v in axes.items()}
        point = {k: float(axes[k][j]) for k, j in pick.items()}
        i = point.pop("current_density")
        single = evaluate(current_density=[i], criterion=criterion, **point)
        at = ds.isel(pick)
        assert float(at.l_n) == pytest.approx(float(single.l_n[0]), rel=1e-12, abs=1e-15)
        assert float(at.l_g) == pytest.approx(float(single.l_g[0]), rel=1e-12)
        assert int(at.regime) == int(single.regime[0])


def test_chunking_does_not_change_results():
    axes = {"sigma_e": np.geomspace(1e-5, 1, 30), "current_density": np.linspace(1, 50, 33)}
    a = design_map(chunk_size=7, **axes)
    b = design_map(chunk_size=10_000, **axes)
    assert np.array_equal(a.regime.values, b.regime.values)
    assert np.array_equal(a.l_n.values, b.l_n.values)


def test_capacity_axis_and_units():
    ds = design_map(capacity=np.array([36000.0, 4 * 36000.0]), current_density=np.array([10.0, 40.0]),
                    criterion_name="legacy")
    assert ds.l_g.attrs["units"] == "m" and ds.capacity.attrs["units"] == "C/m^2"
    # fixed capacity: l_g independent of current
    assert np.allclose(ds.l_g.values[:, 0], ds.l_g.values[:, 1])


@pytest.mark.parametrize("bad", [{"porosity": np.array([0.5, 1.2])}, {"colour": 3}, {"thickness": np.array([])},
                                 {"contact_angle": 4.0}])
def test_bad_axes(bad):
    with pytest.raises(InputError):
        design_map(**bad)
