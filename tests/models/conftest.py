"""Model tests start from fresh default names (like `keras.backend.clear_session()`)."""

import pytest

from torchkeras_lite.utils import naming


@pytest.fixture(autouse=True)
def _fresh_names():
    naming.reset_names()
    yield
