// A gallery map packed by the server (server/classroom/member.py packed_map) unpacks in the
// dashboard to the same bytes, and is small.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { unpackMap } from "../../static/js/class/gallery.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const python = existsSync(`${root}.venv/bin/python`) ? `${root}.venv/bin/python` : "python3";
const script = `
import json, numpy as np
from server.classroom.member import packed_map
x, y = np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-1, 1, 20))
smooth = np.floor(127.5 * np.tanh(3 * (x - 0.4 * y)) + 128).clip(0, 255).astype(np.uint8)
jumps = np.random.default_rng(5).integers(0, 256, (20, 20)).astype(np.uint8)
print(json.dumps([[m.ravel().tolist(), packed_map(m)] for m in (smooth, jumps)]))
`;
const maps = JSON.parse(execFileSync(python, ["-c", script], { cwd: root }));

test("a smooth map and a map of random bytes unpack to the server's bytes", async () => {
  for (const [bytes, packed] of maps) assert.deepEqual([...(await unpackMap(packed, 20))], bytes);
});

test("a smooth map travels in a fraction of its 400 bytes", () => {
  assert.ok(maps[0][1].length < 200, `${maps[0][1].length} characters`);
});
