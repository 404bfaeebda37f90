"""The shared import pipeline: read a file, match its headers, parse its cells, report every
problem at once. Each importer (people, units, competences, …) builds on these pieces.
"""
