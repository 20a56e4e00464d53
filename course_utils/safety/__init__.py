"""safety (layer 5): a content filter (word lists, patterns, an optional classifier) and bias probes."""
