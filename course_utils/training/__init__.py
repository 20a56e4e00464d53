"""training (layer 2): the training loops (classifier, tiny LM), one learning-rate schedule, one training log, one token-scoring core, training costs."""
