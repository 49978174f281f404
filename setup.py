"""Builds the cffi extensions csock._csock and csock._csock_nonblocking (csrc/build.py) for the limited API, so one
cp39-abi3 wheel serves every CPython >= 3.9, and keeps the comparison tools out of that wheel."""
from setuptools import setup
from setuptools.command.build_py import build_py

# They run the book's programs and read its C sources from a checkout (python -m csock.compare ...): an editable
# install (setup.sh) has them; a wheel, which has neither programs nor sources, holds only the binding.
CHECKOUT_ONLY = {"compare", "faults"}  # thin entries of csock_compare, which is not packaged


class BuildBindingOnly(build_py):
    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if not (package == "csock" and m[1] in CHECKOUT_ONLY)]


if __name__ == "__main__":  # as setuptools runs it; tests/windows/provision.py loads it for CHECKOUT_ONLY
    setup(
        cffi_modules=["csrc/build.py:ffibuilder", "csrc/build.py:nonblocking_ffibuilder"],
        cmdclass={"build_py": BuildBindingOnly},
        # cffi builds the extensions with Py_LIMITED_API (.abi3.so); this tags the wheel for it.
        options={"bdist_wheel": {"py_limited_api": "cp39"}},
    )
