"""Document layer: report blocks, citations, charts with their style, section builders, wording."""
