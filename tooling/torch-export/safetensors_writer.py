"""A hand-written .safetensors writer, straight from the format spec
(https://huggingface.co/docs/safetensors): 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}} padded with spaces to a multiple
of 8, then the raw little-endian tensor bytes. Written independently of the TypeScript encoder so that the
decoder is tested against bytes it did not produce. The `safetensors` package is not installed here."""

import json
import struct


def write_safetensors(path, tensors, metadata=None):
    """tensors: list of (name, dtype string, shape list, raw little-endian bytes), laid out in list order."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, _, _, raw in tensors:
            f.write(raw)
