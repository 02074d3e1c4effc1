"""The fileops runner's core: template file changes, rendered from a listing without a checkout."""
