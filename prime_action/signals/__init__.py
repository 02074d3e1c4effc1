"""Prime's eyes: detectors that turn a repository snapshot into signal results."""
