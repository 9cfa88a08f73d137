"""Build hook: ship examples/plugins inside the package as prtip/bundled_plugins.

The example plugins live in examples/plugins (where the docs point plugin authors); a built
wheel must carry them so `prtip --plugin banner-analyzer` works right after install. Editable
installs find them in the repository instead (prtip/plugins/locations.py).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithPlugins(build_py):
    def run(self) -> None:
        super().run()
        src = Path(__file__).parent / "examples" / "plugins"
        dest = Path(self.build_lib) / "prtip" / "bundled_plugins"
        if src.is_dir():
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithPlugins})
