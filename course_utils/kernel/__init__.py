"""kernel (layer 0): errors a learner can meet, input checks, the cache, device and threads, seeds, quiet logs, claims; imports nothing else of course_utils."""
