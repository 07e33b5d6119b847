"""Batch audit of archives."""
