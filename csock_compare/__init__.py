"""The comparison harness: a C program and its Python port, run side by side from a declarative description.

Not part of the installed binding: it runs from a checkout (or anywhere it is importable) and finds every path
from the description file it is given. `python -m csock_compare` (or `python -m csock.compare`) is the entry;
docs/DESCRIPTIONS.md is the description format.
"""
