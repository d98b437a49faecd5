"""The Invoices window, its detail panel and actions, and the invoice composer."""
