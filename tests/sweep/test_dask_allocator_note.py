"""The hint for Dask workers started with the allocator setting that slows NumPy-heavy points."""

from interlayer.sweep.executors import DASK_WORKER_ENVIRON, allocator_note, dask_worker_config


def test_note_names_the_slow_workers_and_the_fix():
    envs = {
        "tcp://a:1": {"MALLOC_TRIM_THRESHOLD_": "65536", "MALLOC_MMAP_THRESHOLD_": None},  # Dask's default
        "tcp://b:1": {"MALLOC_TRIM_THRESHOLD_": "65536", "MALLOC_MMAP_THRESHOLD_": "33554432"},
    }
    note = allocator_note(envs)
    assert note is not None and note.startswith("1 of 2 Dask workers") and "MALLOC_MMAP_THRESHOLD_=33554432" in note
    assert allocator_note({"tcp://b:1": envs["tcp://b:1"]}) is None
    assert allocator_note({"tcp://c:1": {"MALLOC_TRIM_THRESHOLD_": None, "MALLOC_MMAP_THRESHOLD_": None}}) is None


def test_worker_config_sets_the_environment_before_spawn():
    config = dask_worker_config()
    assert config == {"distributed.nanny.pre-spawn-environ.MALLOC_MMAP_THRESHOLD_": 33554432}
    assert DASK_WORKER_ENVIRON["MALLOC_MMAP_THRESHOLD_"] == 32 * 1024 * 1024
