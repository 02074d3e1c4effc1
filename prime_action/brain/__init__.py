"""Brains turn what Prime sees into one decision: the rules brain, the LLM brain, and policy."""
