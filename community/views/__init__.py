"""Thin views over the services, one module per part of the site: communities, threads, posts, people and
notifications, moderation; community_view (views/common.py) opens each view of a community."""
