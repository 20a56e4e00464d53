"""data (layer 1): real text, tweets, melodies and digits installed from PyPI, cleaned and split; worse data on purpose."""
