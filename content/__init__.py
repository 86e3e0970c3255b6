"""What the feature apps share: taxonomies, StreamField blocks, the Markdown renderer, bundled content."""
