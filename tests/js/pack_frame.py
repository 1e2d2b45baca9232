"""Pack one frame with the server's own code and print it (base64) with what it must decode
to, for tests/js/frame.test.mjs: python pack_frame.py."""

import base64
import json

import engine
from server.frames import FrameInfo, pack_frame


def main() -> None:
    run = engine.Run.from_hash("networkShape=3,2&problem=classification&dataset=xor&seed=0.5")
    run.step(4)
    info = FrameInfo(
        frame_id=7, last_seq=5, playing=True, epochs_per_second=12.5, focus_layer=None,
        focus_neuron=0,
    )  # fmt: skip
    frame = pack_frame(run, info)
    expected = {
        "id": 7,
        "lastSeq": 5,
        "epoch": run.epoch,
        "layerSizes": list(run.layer_sizes),
        "trainLoss": run.losses()["train"],
        "weights": [w.ravel().tolist() for w in run.weights],
        "biases": [b.ravel().tolist() for b in run.biases],
        "bytes": len(frame),
    }
    print(json.dumps({"frame": base64.b64encode(frame).decode(), "expected": expected}))


if __name__ == "__main__":
    main()
