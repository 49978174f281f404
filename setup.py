# The only job of setup.py: build the cffi extension csock._csock from csrc/build.py.
from setuptools import setup

setup(cffi_modules=["csrc/build.py:ffibuilder"])
