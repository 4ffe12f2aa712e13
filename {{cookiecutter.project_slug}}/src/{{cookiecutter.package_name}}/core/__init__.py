"""The plumbing every feature uses: settings, logging, errors, middleware and the database."""
