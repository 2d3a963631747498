"""Helpers of the uncertainty and sensitivity analyses (factors, designs, the vectorised runner,
rank statistics, recognition robustness, charts). The public entry points are
:func:`rightsmarker.uncertainty` and :func:`rightsmarker.sensitivity`."""
