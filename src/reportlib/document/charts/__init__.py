"""Charts: the house style, the locality charts and the overview charts."""
