"""Menu links and home panels of the country programmes (registered with the pages)."""
