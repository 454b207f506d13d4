"""How the reply-intent model is made: generated phrasings (make_phrasings.py) and the training run (train.py)."""
