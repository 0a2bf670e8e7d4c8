"""reportlib: sourced, reproducible progress reports on AI education in Chinese schools."""

__version__ = "0.1.0"
