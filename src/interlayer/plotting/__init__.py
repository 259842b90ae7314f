"""Plotting: one function per figure kind; never computes physics.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot state), so they work headless.
"""
