"""The watch inventory."""
