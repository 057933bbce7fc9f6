"""The version of unadocs (a module of its own, so that any module may read it without importing the package root)."""

__version__ = "0.2.0"
