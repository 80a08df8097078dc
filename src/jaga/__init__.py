"""jaga: a registry that makes baby trafficking disguised as adoption hard to hide.

This module holds the version only; it imports nothing heavy.
"""

__version__ = "0.1.0"
