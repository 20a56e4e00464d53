"""plots (layer 1): functions that take data (never a model), draw on `ax` if given or on a new pyplot-free Figure, and return the figure."""
