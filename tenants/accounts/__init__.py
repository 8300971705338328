"""People who sign in: accounts, roles and memberships, invitations, password resets."""
