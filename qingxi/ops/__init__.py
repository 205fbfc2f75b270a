"""Running the portal: the command line (`python -m qingxi`), backups, demo data and synthetic load."""
