"""Recurrent layers: RNN, SimpleRNN, LSTM, GRU, their cells, Bidirectional, ConvLSTM, TimeDistributed."""

from torchkeras_lite.layers.rnn.bidirectional import Bidirectional
from torchkeras_lite.layers.rnn.conv_lstm import ConvLSTM, ConvLSTMCell
from torchkeras_lite.layers.rnn.conv_lstm1d import ConvLSTM1D
from torchkeras_lite.layers.rnn.conv_lstm2d import ConvLSTM2D
from torchkeras_lite.layers.rnn.conv_lstm3d import ConvLSTM3D
from torchkeras_lite.layers.rnn.gru import GRU, GRUCell
from torchkeras_lite.layers.rnn.lstm import LSTM, LSTMCell
from torchkeras_lite.layers.rnn.rnn import RNN
from torchkeras_lite.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from torchkeras_lite.layers.rnn.stacked_rnn_cells import StackedRNNCells
from torchkeras_lite.layers.rnn.time_distributed import TimeDistributed
