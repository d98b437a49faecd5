"""Credit notes and refunds on finalized invoices (Stripe's Credit Notes API), resumable like
the push: see credit_note_service."""
