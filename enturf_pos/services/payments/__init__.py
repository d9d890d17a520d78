"""Card payments on the counter's reader."""
