import assert from "node:assert/strict";
import { isGzip, parseIdx } from "../../lib/data/idx.ts";
import { gzip, idxBytes, patternImages } from "../fixtures/idx.ts";

Deno.test("parseIdx reads an images file: dims and payload", () => {
  const pixels = patternImages(2, 3, 4);
  const idx = parseIdx(idxBytes(0x803, [2, 3, 4], pixels), "imgs");
  assert.equal(idx.kind, "images");
  assert.deepEqual(idx.dims, [2, 3, 4]);
  assert.deepEqual(idx.data, pixels);
});

Deno.test("parseIdx reads a labels file, raw or gzip, with the same result", () => {
  const raw = idxBytes(0x801, [4], new Uint8Array([5, 0, 4, 1]));
  const fromRaw = parseIdx(raw, "labels");
  const fromGz = parseIdx(gzip(raw), "labels.gz");
  assert.equal(fromRaw.kind, "labels");
  assert.deepEqual(fromRaw.dims, [4]);
  assert.deepEqual(fromRaw.data, new Uint8Array([5, 0, 4, 1]));
  assert.deepEqual(fromGz, fromRaw);
  assert.ok(isGzip(gzip(raw)) && !isGzip(raw));
});

Deno.test("parseIdx refuses bad files with the file name and the problem", async (t) => {
  const good = idxBytes(0x803, [2, 2, 2], new Uint8Array(8));
  const cases: [string, Uint8Array, string, RegExp][] = [
    ["empty file", new Uint8Array(0), "a.idx", /a\.idx: empty file/],
    ["truncated magic", new Uint8Array([0, 0, 8]), "b.idx", /b\.idx: truncated header/],
    ["truncated dims", good.subarray(0, 10), "c.idx", /c\.idx: truncated header.*3 dimensions/],
    [
      "truncated payload",
      good.subarray(0, good.length - 3),
      "d.idx",
      /d\.idx: payload of 5 bytes.*2×2×2.*truncated/,
    ],
    [
      "payload too long",
      idxBytes(0x801, [2], new Uint8Array(3)),
      "e.idx",
      /e\.idx: payload of 3 bytes does not match the dimensions 2/,
    ],
    [
      "wrong magic",
      idxBytes(0x0d03, [1], new Uint8Array(1)),
      "f.idx",
      /f\.idx: wrong magic number 0x00000d03/,
    ],
    ["float IDX", idxBytes(0x0d01, [1], new Uint8Array(4)), "g.idx", /wrong magic number/],
    [".gz that is not gzip", good, "h.gz", /h\.gz: not gzip data/],
    ["corrupt gzip", gzip(good).subarray(0, 12), "i.gz", /i\.gz: corrupt gzip data/],
  ];
  for (const [what, bytes, name, message] of cases) {
    await t.step(what, () => assert.throws(() => parseIdx(bytes, name), message));
  }
});
