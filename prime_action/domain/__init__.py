"""The pure domain of Prime: models, errors and the ports the shell implements."""
