"""Outputs of an analysis: tables (JSON/CSV) here; plots, annotated video and HTML in sibling modules.

Nothing in the analysis imports this package: data flows one way into it.
"""
