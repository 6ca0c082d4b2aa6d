"""Notices shared by several features."""
