# The only job of setup.py: build the cffi extensions csock._csock and csock._csock_nonblocking from csrc/build.py.
from setuptools import setup

setup(cffi_modules=["csrc/build.py:ffibuilder", "csrc/build.py:nonblocking_ffibuilder"])
