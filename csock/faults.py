"""`python -m csock.faults`: the fault matrix. The harness is not part of the binding: it lives in the checkout's
top-level package csock_compare (docs/DESCRIPTIONS.md); this entry only starts it."""
import sys

try:
    from csock_compare.faults import main
except ImportError:  # an installed csock without a checkout beside it
    sys.exit("csock.faults: the harness (package csock_compare) is not importable: run it from a checkout of "
             "csock, or put the checkout on PYTHONPATH")

if __name__ == "__main__":
    sys.exit(main())
