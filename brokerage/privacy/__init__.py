"""Personal data (UK GDPR): the statements, a person's export and erasure, retention.

One service module (`services`) holds the export and erasure rules, used by
the person's own pages and by the admin; `retention` holds the periods the
daily task enforces and /privacy/ states.
"""
