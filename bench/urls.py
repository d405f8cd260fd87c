"""The product's URLs plus the framework floor, for the benchmark settings only (tandem.settings_bench)."""

from django.urls import path

from tandem.urls import urlpatterns as product_urlpatterns

from .floor import floor

urlpatterns = [path("__bench/floor/", floor, name="bench_floor"), *product_urlpatterns]
