"""copydesk: compare an original article with a suspected copy, paragraph by paragraph."""

__version__ = "0.1.0"
