"""The Implementation Playbook: sections, numbered steps, roles, deliverables and progress."""
