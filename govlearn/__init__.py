"""GovLearn's site shell: settings, URLs, base layout, home, search, accounts, dashboard and health."""
