"""Ratsuche: search over German council documents. This package is the top of the house: the
command-line entry point, which may import every layer and which no layer imports."""

__version__ = "0.1.0"
