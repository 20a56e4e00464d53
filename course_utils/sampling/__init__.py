"""sampling (layer 3): pure functions on logits, the generation loop by hand, likelihood of continuations, the playgrounds' plain functions."""
