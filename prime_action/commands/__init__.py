"""One module per CLI command: `configure(parser)` adds arguments, `run(args)` runs it."""
