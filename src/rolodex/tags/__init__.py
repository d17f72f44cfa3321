"""Tags: named labels on contacts, per owner (an account or a team)."""
