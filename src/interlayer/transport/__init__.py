"""Transport of Li+ and electrons in the interlayer.

* :mod:`interlayer.transport.miec`: the electroneutral mixed-conductor model (what designs run on).
* :mod:`interlayer.transport.pnp`: the full Poisson-Nernst-Planck model (1D and 2D).
"""
