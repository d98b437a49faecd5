"""The Dashboard page: the year's goal, sales, margin, what is owed, best clients and brands."""
