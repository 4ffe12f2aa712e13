"""One module per task, each defining `TASK`, with its prompt in `<module>.toml` beside it."""
