"""Callbacks: hooks into `fit`, `evaluate` and `predict` (the `keras.callbacks` API)."""

from torchkeras_lite.callbacks._lr import get_learning_rate, set_learning_rate
from torchkeras_lite.callbacks.backup_and_restore import BackupAndRestore
from torchkeras_lite.callbacks.callback import Callback
from torchkeras_lite.callbacks.callback_list import CallbackList
from torchkeras_lite.callbacks.csv_logger import CSVLogger
from torchkeras_lite.callbacks.early_stopping import EarlyStopping
from torchkeras_lite.callbacks.history import History
from torchkeras_lite.callbacks.lambda_callback import LambdaCallback
from torchkeras_lite.callbacks.learning_rate_scheduler import LearningRateScheduler
from torchkeras_lite.callbacks.model_checkpoint import ModelCheckpoint
from torchkeras_lite.callbacks.monitor_callback import MonitorCallback
from torchkeras_lite.callbacks.progbar_logger import ProgbarLogger
from torchkeras_lite.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from torchkeras_lite.callbacks.tensorboard import TensorBoard
from torchkeras_lite.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "MonitorCallback",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TensorBoard",
    "TerminateOnNaN",
    "get_learning_rate",
    "set_learning_rate",
]
