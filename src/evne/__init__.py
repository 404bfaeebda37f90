"""Evne: strategic competence management for Norwegian municipalities."""
