"""The wheel's tag: pure without libcds.so, a platform wheel with it.

Everything else is in pyproject.toml. ``pip install ./bindings/python`` builds the pure
``py3-none-any`` wheel (the library then comes from ``$CDS_LIBRARY``). ``scripts/package``
copies the stripped library to ``cds/libcds.so`` first: the wheel is then
``py3-none-linux_<arch>`` (the binding is cffi in ABI mode, so any Python 3 will do), which
``auditwheel repair`` turns into the manylinux wheel.
"""

from pathlib import Path

from setuptools import Distribution, setup

BUNDLED = (Path(__file__).resolve().parent / "cds" / "libcds.so").is_file()

if not BUNDLED:
    setup()
else:
    from setuptools.command.bdist_wheel import bdist_wheel  # setuptools >= 70.1 (pyproject.toml asks 77)

    class BinaryDistribution(Distribution):
        """Holds a native library: installed into platlib, and the wheel is not pure."""

        def has_ext_modules(self) -> bool:
            return True

    class PlatformWheel(bdist_wheel):  # type: ignore[misc, valid-type]
        """A wheel for the platform of the bundled library, for any Python 3 and ABI."""

        def get_tag(self) -> tuple:
            _, _, platform = super().get_tag()
            return "py3", "none", platform

    setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
