"""The `slow` marker: tests that build a real pre-commit hook environment."""


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds a real pre-commit hook environment (deselect with -m 'not slow')")
