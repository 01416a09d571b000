"""dlp-site: a public reporting website and Local Offer map for a SEND programme, built from data."""

__version__ = "0.1.0"
