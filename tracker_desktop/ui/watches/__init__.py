"""The Watches window: the dealer's inventory with serial-first search."""
