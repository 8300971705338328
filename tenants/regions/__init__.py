"""The 38 provinces and 514 regencies and cities (Kemendagri codes)."""
