"""Data layer: the tables in data/, their schemas and validation, numbers and dates, regions."""
