"""Inside torchkeras_lite: Keras layers that are plain torch modules, step by step.

Run: python examples/inside_keras.py   (CPU, a few seconds)
"""

import torch

import torchkeras_lite as keras


# 1. A linear layer with its weights made in __init__ (plain-torch style).
class EagerLinear(keras.layers.Layer):
    def __init__(self, input_dim: int, units: int):
        super().__init__()
        self.w = keras.Variable("glorot_uniform", shape=(input_dim, units), name="w")
        self.b = keras.Variable("zeros", shape=(units,), name="b")

    def call(self, inputs):
        return inputs @ self.w + self.b


layer = EagerLinear(4, 2)
print("1. weights made in __init__:", [tuple(w.shape) for w in layer.weights])
print("   it is a torch module:", isinstance(layer, torch.nn.Module), list(layer.state_dict()))


# 2. The same layer, built lazily from the first input's shape.
class Linear(keras.layers.Layer):
    def __init__(self, units: int = 32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="w"
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

    def call(self, inputs):
        return inputs @ self.w + self.b


lazy = Linear(3)
print("2. before the first call:", lazy.built, lazy.weights)
lazy(torch.ones(2, 5))
print("   after:", lazy.built, [tuple(w.shape) for w in lazy.weights])


# 3. A non-trainable accumulator updated with assign_add.
class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim: int):
        super().__init__()
        self.total = keras.Variable("zeros", shape=(input_dim,), trainable=False, name="total")

    def call(self, inputs):
        self.total.assign_add(inputs.sum(dim=0))
        return self.total


acc = ComputeSum(2)
acc(torch.ones(2, 2))
print("3. accumulator:", acc(torch.ones(2, 2)).numpy(), "trainable weights:", acc.trainable_weights)


# 4. Nested blocks: the weights appear on the first call.
class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = torch.relu(self.linear_1(inputs))
        x = torch.relu(self.linear_2(x))
        return self.linear_3(x)


mlp = MLPBlock()
print("4. nested, before a call:", len(mlp.weights), "weights")
mlp(torch.ones(3, 64))
print("   after:", len(mlp.weights), "weights, keys:", list(mlp.state_dict())[:4], "...")


# 5. A custom training loop with torch autograd and a torch optimizer.
torch.manual_seed(0)
x = torch.randn(256, 64)
y = x[:, :1] * 2.0 - 1.0
optimizer = torch.optim.Adam(mlp.parameters(), lr=1e-2)
for step in range(100):
    optimizer.zero_grad()
    loss = torch.mean((mlp(x) - y) ** 2)
    loss.backward()
    optimizer.step()
    if step % 33 == 0:
        print(f"5. step {step:3d}: loss {loss.item():.4f}")


# 6. add_loss: a layer that adds an activity penalty, collected in `losses`.
class ActivityRegularization(keras.layers.Layer):
    def __init__(self, rate: float = 1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * torch.sum(inputs))
        return inputs


class OuterLayer(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.activity_reg = ActivityRegularization(1e-2)

    def call(self, inputs):
        return self.activity_reg(inputs)


outer = OuterLayer()
outer(torch.zeros(1, 1))
print("6. losses after a zero input:", [float(v) for v in outer.losses])
outer(torch.ones(1, 1))
print(
    "   after a ones input (the previous call's losses are gone):", [float(v) for v in outer.losses]
)


# 7. A layer that behaves differently in training: the flag reaches nested layers.
class CustomDropout(keras.layers.Layer):
    def __init__(self, rate: float):
        super().__init__()
        self.rate = rate

    def call(self, inputs, training=None):
        if training:
            return torch.nn.functional.dropout(inputs, self.rate)
        return inputs


class Wrapper(keras.layers.Layer):  # its call does not declare `training`: the flag still reaches
    def __init__(self):
        super().__init__()
        self.dropout = CustomDropout(0.5)

    def call(self, inputs):
        return self.dropout(inputs)


wrapper = Wrapper()
ones = torch.ones(1, 8)
print("7. inference:", wrapper(ones).tolist())
print("   training: ", wrapper(ones, training=True).tolist())
