"""Readers turn files into RawRecords (data plus where it came from); they never validate."""
