from tests.dossiers.conftest import justice_officer, procedures  # noqa: F401 — shared fixtures
