"""Courses: catalogue, course → module → lesson pages, enrolment, progress, knowledge checks, certificates."""
