"""The review desk: the clerk's local web page for flagged fields and free-text transcription."""

from palaute.review.app import create_app

__all__ = ["create_app"]
