"""Teams: groups of accounts with roles, owning shared contacts and tags."""
