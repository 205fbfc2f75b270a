"""Face-to-face days (issue 18)."""
