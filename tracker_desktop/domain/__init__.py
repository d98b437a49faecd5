"""Pure business rules: money, currencies, validation, the invoice state machine.

Stdlib only, plus babel for locale-aware number parsing and formatting (pure data, no I/O).
"""
