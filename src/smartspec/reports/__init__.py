"""Reports: chart and map specs (Vega-Lite, built with Altair) and, later, HTML/PDF reports.

:mod:`smartspec.reports.maps` builds the maps the web pages draw in the browser and the
reports render on the server with ``vl_convert``. Importing this package imports nothing
heavy; Altair is loaded when a spec is built.
"""
