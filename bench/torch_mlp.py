"""The peer of bench/bench.ts: the study's MLP trained with PyTorch on the same MNIST IDX files.

Usage: python3 bench/torch_mlp.py DATA_DIR [--epochs 2] [--threads 2] [--seed 42]
    --batch-size 256 --validation-split 0.2 --hidden-units 256 256 --dropout 0.2
    --learning-rate 0.001

bench/pytorch.ts passes the study's settings (STUDY_CONFIG in lib/config.ts), so the model and
training settings have no defaults here. With those, it trains
784 -> 256 relu -> dropout 0.2 -> 256 relu -> dropout 0.2 -> 10 (softmax in the loss)
with Adam (lr 0.001, epsilon 1e-7 as in Keras) and batch 256 on the first 48,000 training
images, evaluates on the last 12,000 after each epoch, and prints one JSON line:
{"seconds": [...], "val_acc": [...], "threads": n, "torch": version, "peak_rss_mib": m}.
Epoch times include the validation pass, like lib/training/train.ts.
"""

import argparse
import json
import os
import resource
import time

import numpy as np
import torch
from torch import nn

TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
IMAGE_HEADER_BYTES = 16
LABEL_HEADER_BYTES = 8


def read_idx(path, header_bytes):
    """The bytes of an IDX file after its header, as a uint8 array."""
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load_train(data_dir):
    """x [60000, 784] float32 in [0, 1] and y [60000] int64 labels."""
    images = read_idx(os.path.join(data_dir, TRAIN_IMAGES), IMAGE_HEADER_BYTES)
    labels = read_idx(os.path.join(data_dir, TRAIN_LABELS), LABEL_HEADER_BYTES)
    x = torch.from_numpy(images.reshape(len(labels), 784).astype(np.float32) / 255.0)
    return x, torch.from_numpy(labels.astype(np.int64))


def build_mlp(hidden_units, dropout):
    """The study's MLP with Keras's initialization (Glorot-uniform kernels, zero biases)."""
    layers, width = [], 784
    for units in hidden_units:
        layers += [nn.Linear(width, units), nn.ReLU(), nn.Dropout(dropout)]
        width = units
    model = nn.Sequential(*layers, nn.Linear(width, 10))
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model


def accuracy(model, x, y, batch_size):
    """Fraction of x classified as y, in batches, without gradients."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(y), batch_size):
            logits = model(x[start:start + batch_size])
            correct += (logits.argmax(1) == y[start:start + batch_size]).sum().item()
    model.train()
    return correct / len(y)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", help="folder holding the MNIST IDX files")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--validation-split", type=float, required=True)
    parser.add_argument("--hidden-units", type=int, nargs="+", required=True)
    parser.add_argument("--dropout", type=float, required=True)
    parser.add_argument("--learning-rate", type=float, required=True)
    args = parser.parse_args()
    batch_size = args.batch_size

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y = load_train(args.data_dir)
    n = len(y) - int(len(y) * args.validation_split)
    x_train, y_train, x_val, y_val = x[:n], y[:n], x[n:], y[n:]
    model = build_mlp(args.hidden_units, args.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(args.seed)

    seconds, val_acc = [], []
    for _ in range(args.epochs):
        start = time.perf_counter()
        order = torch.randperm(n, generator=generator)
        for first in range(0, n, batch_size):
            batch = order[first:first + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        val_acc.append(accuracy(model, x_val, y_val, batch_size))
        seconds.append(time.perf_counter() - start)

    print(json.dumps({
        "seconds": seconds,
        "val_acc": val_acc,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
