"""Storage, accounts, attempts, credentials, reports and record bundles."""
