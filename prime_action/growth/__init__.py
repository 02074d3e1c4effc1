"""Growth mode: the seed.yaml genome, the architect that writes tickets, the reviewer's checks."""
