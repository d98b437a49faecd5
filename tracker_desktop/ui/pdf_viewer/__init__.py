"""The in-app PDF viewer (QtPdf): kept invoice PDFs read offline, printed and copied."""
