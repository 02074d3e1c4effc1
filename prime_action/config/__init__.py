"""Configuration: the repository's `.github/prime.yml` and the org repository's config."""
