"""Quickstart: one model built three ways, trained with fit, evaluated, used to predict, saved, reloaded.

Run: python examples/quickstart.py   (under a minute on 2 CPU cores)
"""

import os
import tempfile

import numpy as np
import torch

import torchkeras_lite as keras

keras.utils.set_random_seed(42)

# A small dataset made here: 3 classes from 20 features.
x = np.random.normal(size=(2000, 20)).astype("float32")
y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5)
x_train, y_train, x_test, y_test = x[:1600], y[:1600], x[1600:], y[1600:]

# 1. Sequential.
sequential = keras.Sequential(
    [
        keras.Input(shape=(20,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(3, activation="softmax"),
    ],
    name="sequential_mlp",
)

# 2. Functional: the same architecture; underneath it runs a torch.fx GraphModule.
inputs = keras.Input(shape=(20,), name="features")
hidden = keras.layers.Dense(64, activation="relu")(inputs)
hidden = keras.layers.Dropout(0.1)(hidden)
outputs = keras.layers.Dense(3, activation="softmax")(hidden)
functional = keras.Model(inputs, outputs, name="functional_mlp")


# 3. Subclassed: layers in __init__, the computation in call().
class MLP(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = keras.layers.Dense(64, activation="relu")
        self.dropout = keras.layers.Dropout(0.1)
        self.out = keras.layers.Dense(3, activation="softmax")

    def call(self, inputs, training=None):
        return self.out(self.dropout(self.hidden(inputs), training=training))


subclassed = MLP(name="subclassed_mlp")

for model in (sequential, functional, subclassed):
    model(torch.from_numpy(x_train[:1]))  # build
    print(
        f"{model.name}: {model.count_params()} parameters, a torch.nn.Module: {isinstance(model, torch.nn.Module)}"
    )

functional.summary()

# Train the functional model, with a progress bar, validation and early stopping.
functional.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = functional.fit(
    x_train,
    y_train,
    batch_size=32,
    epochs=5,
    validation_split=0.2,
    callbacks=[keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)],
    verbose=2,
)
loss, accuracy = functional.evaluate(x_test, y_test, verbose=0)
print(f"test loss {loss:.4f}, test accuracy {accuracy:.4f}")
probabilities = functional.predict(x_test[:5], verbose=0)
print("predicted classes:", probabilities.argmax(axis=1), "true:", y_test[:5])

# Save to a .keras archive (config + safetensors weights, no pickle) and reload.
with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "model.keras")
    functional.save(path)
    reloaded = keras.saving.load_model(path)
    same = np.allclose(
        reloaded.predict(x_test, verbose=0), functional.predict(x_test, verbose=0), atol=1e-6
    )
    print("reloaded predictions match:", same)
