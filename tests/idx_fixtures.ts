/** Builders of IDX files for the data tests. */
import { gzipSync } from "node:zlib";
import { IDX_FILES } from "../lib/data/mnist.ts";
import { type TempDir, tempDir } from "./temp_dir.ts";

/** IDX bytes: magic, one 32-bit size per dimension, then the payload. */
export function idxBytes(magic: number, dims: number[], payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  bytes.set(payload, 4 + 4 * dims.length);
  return bytes;
}

/** gzip-compressed bytes. */
export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}

/** Images whose pixel k of image i is (i + k) mod 256: n×rows×cols bytes. */
export function patternImages(n: number, rows = 28, cols = 28): Uint8Array {
  const pixels = new Uint8Array(n * rows * cols);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.floor(i / (rows * cols)) + i) % 256;
  return pixels;
}

/** Overrides of the files written by {@linkcode writeDataset}, by IDX file name. */
export type DatasetFiles = Partial<Record<string, Uint8Array | null>>;

/**
 * Writes a small valid data set (5 train, 3 test images of 28×28) to a new temp folder;
 * `files` replaces (or, with null, omits) files by name. Returns the folder, which removes
 * itself when disposed (`await using data = await writeDataset()`).
 */
export async function writeDataset(files: DatasetFiles = {}, gz = false): Promise<TempDir> {
  const tmp = await tempDir("mnist-test-");
  const dir = tmp.path;
  const defaults: Record<string, Uint8Array> = {
    [IDX_FILES.trainImages]: idxBytes(0x803, [5, 28, 28], patternImages(5)),
    [IDX_FILES.trainLabels]: idxBytes(0x801, [5], new Uint8Array([5, 0, 4, 1, 9])),
    [IDX_FILES.testImages]: idxBytes(0x803, [3, 28, 28], patternImages(3)),
    [IDX_FILES.testLabels]: idxBytes(0x801, [3], new Uint8Array([7, 2, 1])),
  };
  try {
    for (const [name, bytes] of Object.entries({ ...defaults, ...files })) {
      if (bytes === null || bytes === undefined) continue;
      await Deno.writeFile(`${dir}/${name}${gz ? ".gz" : ""}`, gz ? gzip(bytes) : bytes);
    }
  } catch (error) {
    await tmp[Symbol.asyncDispose]();
    throw error;
  }
  return tmp;
}
