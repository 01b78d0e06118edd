"""Damaged, incomplete and foreign files: each load raises a SavingError naming file and problem."""

import copy
import io
import json
import random
import zipfile

import pytest

import torchkeras_lite as keras
from tests.saving.helpers import built_net, data
from torchkeras_lite.saving import SavingError, load_model


@pytest.fixture(scope="module")
def archive_bytes(tmp_path_factory):
    x, y = data(n=32)
    model = built_net(0)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    path = tmp_path_factory.mktemp("archive") / "net.keras"
    model.save(path)
    return path.read_bytes()


def _members(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, value in members.items():
            zf.writestr(name, value)
    return buffer.getvalue()


def test_truncated_and_non_zip_files(tmp_path, archive_bytes):
    path = tmp_path / "bad.keras"
    path.write_bytes(archive_bytes[: len(archive_bytes) // 3])
    with pytest.raises(SavingError, match=r"bad\.keras' is not a `\.keras` zip archive"):
        load_model(path)
    path.write_text("{}")
    with pytest.raises(SavingError, match="truncated, damaged or in another format"):
        load_model(path)
    with pytest.raises(SavingError, match="File not found"):
        load_model(tmp_path / "nothing.keras")


@pytest.mark.parametrize(
    "missing", ["config.json", "model.weights.safetensors", "optimizer.safetensors"]
)
def test_missing_members_are_named(tmp_path, archive_bytes, missing):
    members = _members(archive_bytes)
    del members[missing]
    path = tmp_path / "incomplete.keras"
    path.write_bytes(_zip(members))
    with pytest.raises(SavingError, match=rf"incomplete\.keras' has no '{missing}' member"):
        load_model(path)


def test_invalid_json_member(tmp_path, archive_bytes):
    members = _members(archive_bytes)
    members["config.json"] = b"{not json"
    path = tmp_path / "j.keras"
    path.write_bytes(_zip(members))
    with pytest.raises(SavingError, match=r"'config\.json' of .*j\.keras' is not valid JSON"):
        load_model(path)


def test_weights_of_another_architecture(tmp_path, archive_bytes):
    members = _members(archive_bytes)
    other = tmp_path / "other.weights.safetensors"
    built_net(hidden=6).save_weights(other)
    members["model.weights.safetensors"] = other.read_bytes()
    path = tmp_path / "mixed.keras"
    path.write_bytes(_zip(members))
    with pytest.raises(
        SavingError, match=r"(?s)mixed\.keras' do not match .*with a different shape"
    ):
        load_model(path)


def test_wrong_optimizer_class_is_refused(tmp_path, archive_bytes):
    members = _members(archive_bytes)
    config = json.loads(members["config.json"])
    config["compile_config"]["optimizer"] = {"class_name": "SGD", "config": {}}
    members["config.json"] = json.dumps(config).encode()
    path = tmp_path / "opt.keras"
    path.write_bytes(_zip(members))
    with pytest.raises(
        SavingError, match="saved from a Adam optimizer, but the model's optimizer is a SGD"
    ):
        load_model(path)
    assert load_model(path, compile=False).built


def _load_or_saving_error(path):
    try:
        load_model(path)
    except SavingError:
        return "error"
    return "ok"


def test_fuzzed_bytes_load_or_raise_saving_error(tmp_path, archive_bytes):
    rng = random.Random(0)
    path = tmp_path / "fuzz.keras"
    outcomes = []
    for i in range(120):
        data = bytearray(archive_bytes)
        if i % 3 == 0:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        outcomes.append(_load_or_saving_error(path))
    assert "error" in outcomes


_REPLACEMENTS = [None, -1, 0, 3, "x", [], {}, True, [None, 2], {"class_name": "Nope"}]


def _mutate(node, rng):
    """Replaces, deletes or renames one random entry of a JSON tree (in place)."""
    containers = []

    def walk(n):
        if isinstance(n, dict) and n:
            containers.append(n)
            for v in n.values():
                walk(v)
        elif isinstance(n, list) and n:
            containers.append(n)
            for v in n:
                walk(v)

    walk(node)
    if not containers:
        return
    target = rng.choice(containers)
    key = rng.choice(list(target)) if isinstance(target, dict) else rng.randrange(len(target))
    action = rng.random()
    if action < 0.2 and isinstance(target, dict):
        del target[key]
    elif action < 0.3 and isinstance(target, dict):
        target[key + "_renamed"] = target.pop(key)
    else:
        target[key] = copy.deepcopy(rng.choice(_REPLACEMENTS))


@pytest.mark.filterwarnings("ignore:The model in .* was compiled with an optimizer")
@pytest.mark.parametrize("member", ["config.json", "optimizer.json"])
def test_fuzzed_documents_load_or_raise_saving_error(tmp_path, archive_bytes, member):
    rng = random.Random(1)
    members = _members(archive_bytes)
    document = json.loads(members[member])
    path = tmp_path / "fuzz.keras"
    outcomes = []
    for _ in range(80):
        mutated = json.loads(json.dumps(document))
        for _ in range(rng.randint(1, 3)):
            _mutate(mutated, rng)
        path.write_bytes(_zip({**members, member: json.dumps(mutated).encode()}))
        outcomes.append(_load_or_saving_error(path))
    assert "error" in outcomes and "ok" in outcomes
