"""The built-in detectors that turn a repository snapshot into signal results (see `eyes`)."""
