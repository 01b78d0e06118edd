"""`keras.datasets`: small standard datasets, downloaded once into the cache (`get_file`)."""

from torchkeras_lite.datasets import (
    boston_housing,
    california_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)
