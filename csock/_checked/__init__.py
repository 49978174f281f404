"""csock's checked calls, one module per C header as in csrc/binding/: each converts its arguments once, checks
them (csock/_checks.py), then makes the C call with exactly what it checked. csock/_names.py imports them."""
