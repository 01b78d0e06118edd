"""`keras.utils`: progress bars, datasets of batches, data helpers, downloads and serialization."""

from torchkeras_lite.backend.random import set_random_seed
from torchkeras_lite.saving.object_registration import (
    custom_object_scope,
    register_keras_serializable,
)
from torchkeras_lite.saving.registry import deserialize_keras_object, serialize_keras_object
from torchkeras_lite.trainers.data_adapters.py_dataset import PyDataset, Sequence
from torchkeras_lite.utils.dataset_utils import split_dataset
from torchkeras_lite.utils.file_utils import get_file
from torchkeras_lite.utils.numerical_utils import normalize, to_categorical
from torchkeras_lite.utils.plot_model import model_to_dot, plot_model
from torchkeras_lite.utils.progress import Progbar
from torchkeras_lite.utils.sequence_utils import pad_sequences
