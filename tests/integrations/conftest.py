"""The `slow` marker: tests that build a real environment (a pre-commit hook, the wheel in a
clean virtualenv, the container image)."""


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds a real environment: pre-commit hook, wheel in a clean venv, container image (deselect with -m 'not slow')")
