"""Preprocessing layers that run as tensor ops: numerical, image and categorical preprocessing."""

from torchkeras_lite.layers.preprocessing.category_encoding import CategoryEncoding
from torchkeras_lite.layers.preprocessing.center_crop import CenterCrop
from torchkeras_lite.layers.preprocessing.discretization import Discretization
from torchkeras_lite.layers.preprocessing.hashing import Hashing
from torchkeras_lite.layers.preprocessing.integer_lookup import IntegerLookup
from torchkeras_lite.layers.preprocessing.normalization import Normalization
from torchkeras_lite.layers.preprocessing.random_contrast import RandomContrast
from torchkeras_lite.layers.preprocessing.random_crop import RandomCrop
from torchkeras_lite.layers.preprocessing.random_flip import RandomFlip
from torchkeras_lite.layers.preprocessing.random_rotation import RandomRotation
from torchkeras_lite.layers.preprocessing.random_translation import RandomTranslation
from torchkeras_lite.layers.preprocessing.random_zoom import RandomZoom
from torchkeras_lite.layers.preprocessing.rescaling import Rescaling
from torchkeras_lite.layers.preprocessing.resizing import Resizing
from torchkeras_lite.layers.preprocessing.string_lookup import StringLookup
