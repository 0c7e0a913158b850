"""Xã Số — a digital commune platform for Vietnamese communes and wards."""

import os

# numpy's OpenBLAS threads keep spinning after each product and slow the assistant's sentence
# embedding, which runs its own threads (xaso.assistant.engine.semantic); the products here
# are small. Set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
