# The cffi extension csock._csock_nonblocking (csrc/build.py): its ffi and lib, typed Any as cffi gives them.
from typing import Any

ffi: Any
lib: Any
