"""generators (layer 5): small generative models trained here: diffusion, text-to-digits, the melody model, synthesis, a GAN."""
