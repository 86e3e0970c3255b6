"""Communities of Practice: membership, threads, posts, notifications, moderation; workshops."""
