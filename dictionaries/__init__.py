"""Shipped data: built by dictionaries/build.py; see SOURCES.md. Installed as vnproof.dictionaries."""
