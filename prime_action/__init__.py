"""Prime: a persistent agent for every repository, living inside GitHub Actions."""

__version__ = "0.1.0"
