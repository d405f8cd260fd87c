"""Settings for the benchmark suite (`make bench`): the product's settings, plus the framework-floor view.

The floor view lives in bench/urls.py, outside the product's ROOT_URLCONF, so the product's URL list (and
its authorization matrix) is unchanged.
"""

from .settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
