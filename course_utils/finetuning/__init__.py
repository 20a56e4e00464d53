"""finetuning (layer 5): a pretrained or random encoder as a classifier, freezing, LoRA, data efficiency, style fine-tuning of a causal LM."""
