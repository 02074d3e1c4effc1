"""The LLM adapter: litellm behind the brain's LLM port, imported only when a model is called."""
