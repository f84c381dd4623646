"""Ship the ontology and the report's data inside the wheel.

An installed copgraph (``pip install copgraph-*.whl``) then builds and queries its graph
from any folder: ``copgraph/project/`` holds ``ontology/`` and ``data/`` (without the
built files), and the graph is built into a cache folder the first time it is asked for.
Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SKIP = shutil.ignore_patterns("build", "draft", "__pycache__", ".*")


class BuildWithProject(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "copgraph" / "project"
        for name in ("ontology", "data"):
            if (HERE / name).is_dir():
                shutil.rmtree(target / name, ignore_errors=True)
                shutil.copytree(HERE / name, target / name, ignore=SKIP)


setup(cmdclass={"build_py": BuildWithProject})
