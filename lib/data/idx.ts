/**
 * Parsing of IDX files, the format of the original MNIST distribution.
 *
 * @module
 */
import { gunzipSync } from "node:zlib";

/** Magic number of an IDX file of unsigned bytes with one dimension: labels. */
const IDX_LABELS_MAGIC = 0x00000801;
/** Magic number of an IDX file of unsigned bytes with three dimensions: images. */
const IDX_IMAGES_MAGIC = 0x00000803;

/** The content of an IDX file: its dimensions and its unsigned bytes. */
export interface IdxData {
  /** "labels" for magic 0x00000801, "images" for 0x00000803. */
  kind: "labels" | "images";
  /** Sizes of each dimension, e.g. [60000, 28, 28] for images or [60000] for labels. */
  dims: number[];
  /** The payload, row-major, length = product of `dims`. */
  data: Uint8Array;
}

/** Whether the bytes start with the gzip header 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array, name: string): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    throw new Error(`${name}: corrupt gzip data (${(error as Error).message})`);
  }
}

/**
 * Reads an IDX file of unsigned bytes (labels or images), raw or gzip-compressed.
 *
 * `name` is the file name used in error messages; a name ending in `.gz` must hold gzip data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // a labels file: magic 0x00000801, one dimension of size 3, then the 3 label bytes
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4]);
 * const labels = parseIdx(bytes, "train-labels-idx1-ubyte");
 * assert.equal(labels.kind, "labels");
 * assert.deepEqual(labels.dims, [3]); // [60000] for MNIST's file
 * assert.deepEqual(labels.data, new Uint8Array([5, 0, 4]));
 * ```
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxData {
  if (bytes.length === 0) throw new Error(`${name}: empty file, expected an IDX file`);
  if (isGzip(bytes)) bytes = gunzip(bytes, name);
  else if (name.endsWith(".gz")) {
    throw new Error(
      `${name}: not gzip data (expected the header 1f 8b), though the name ends in .gz`,
    );
  }
  if (bytes.length < 4) {
    throw new Error(`${name}: truncated header, ${bytes.length} bytes, expected at least 4`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== IDX_LABELS_MAGIC && magic !== IDX_IMAGES_MAGIC) {
    throw new Error(
      `${name}: wrong magic number 0x${magic.toString(16).padStart(8, "0")}, expected ` +
        `0x00000801 (labels) or 0x00000803 (images) of unsigned bytes`,
    );
  }
  const rank = magic & 0xff;
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new Error(
      `${name}: truncated header, ${bytes.length} bytes, expected ${headerLength} for ${rank} dimensions`,
    );
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - headerLength;
  if (found !== expected) {
    throw new Error(
      `${name}: payload of ${found} bytes does not match the dimensions ${dims.join("×")} ` +
        `(${expected} bytes)${found < expected ? ": the file is truncated" : ""}`,
    );
  }
  return {
    kind: magic === IDX_LABELS_MAGIC ? "labels" : "images",
    dims,
    data: bytes.slice(headerLength),
  };
}
