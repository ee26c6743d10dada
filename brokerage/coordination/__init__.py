"""The coordinator's start page: what needs attention today, each item linked to where it is done."""
