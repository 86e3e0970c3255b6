"""Settings modules: `base` reads the environment; `test` pins what the test suite needs."""
