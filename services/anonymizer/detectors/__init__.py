"""Detectors of reporter identifiers in a raw report, each small and testable on its own.

``domain.Anonymizer`` runs them in order: structured hints, self-identification, numbers, times.
"""
