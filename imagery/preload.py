"""Imported by the process's fork server (web/forkserver.py), once, so that no worker forked
from it does the same on its first file: imagehash's pHash imports scipy's FFT on first use
(about 0.5 core-seconds), and the first S3 client of a process imports boto3 and parses
botocore's S3 models (about 0.4 core-seconds). Every analysis worker used to pay both,
and a pool's workers are replaced after a while.

botocore's models are parsed only when the process's settings put the store in S3
(LOOKBACK_STORE_URL, the setting web/settings.py reads); no connection is opened here:
each worker makes its own client, cheaply, from the parsed models."""

from __future__ import annotations

import os

import scipy.fftpack  # noqa: F401 (imported for its import cost, paid here once)

from imagery.store.s3 import preload_models

if os.environ.get("LOOKBACK_STORE_URL", "").startswith("s3://"):
    preload_models()
