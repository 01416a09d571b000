"""Open data in published standards, each a pure renderer of the Site: Open Referral UK (oruk.py),
360Giving (giving.py) and the catalogue that describes every file (catalogue.py)."""
