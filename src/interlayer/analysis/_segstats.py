"""Per-segment reductions (they live in :mod:`interlayer.io._segstats`, which the readers use too)."""

from interlayer.io._segstats import seg_argmax, seg_max, seg_median, seg_min

__all__ = ["seg_argmax", "seg_max", "seg_median", "seg_min"]
