"""utils."""

from torchkeras_lite.utils.progress import Progbar
