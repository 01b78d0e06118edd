"""utils."""

from torchkeras_lite.backend.random import set_random_seed
from torchkeras_lite.trainers.data_adapters.py_dataset import PyDataset, Sequence
from torchkeras_lite.utils.progress import Progbar
