"""geokg's HTTP SPARQL service (Flask). Build it with ``service.app.create_app``.

This package imports ``kg`` but never spaCy; ``kg`` never imports Flask.
"""
