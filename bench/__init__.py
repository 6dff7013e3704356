"""Measurement scripts for codescan (speed bench, quick scanner-core evaluation); not shipped."""
