"""Plain-Python planning solvers (no Django imports anywhere in this package)."""
