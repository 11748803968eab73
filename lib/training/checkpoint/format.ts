/**
 * The files of a checkpoint folder, without tfjs: `model.json` and one weights file
 * `weights-<16 hex digits>.bin`, named by the first 64 bits of the SHA-256 of its content, which
 * model.json's `weightsManifest.paths` names, so the folder is a standard tfjs layers checkpoint
 * (`tf.loadLayersModel` reads it, in a browser too). Reading and checking them, and making them
 * for a save; where they lie on disk and when they are written is commit.ts's part.
 *
 * @module
 */
import { basename, isAbsolute, join, normalize, relative, resolve } from "node:path";
import { checkError } from "../../checks.ts";
import type { io } from "../../tf.ts";
import { messageOf } from "./files.ts";

/** The model file of a checkpoint folder: the commit point of a save. */
export const MODEL_FILE = "model.json";

/** The key of train's resume state in model.json's `userDefinedMetadata`. */
export const TRAINING_METADATA = "training";

/** Weights files that saves write: named by the first 16 hex digits of their SHA-256. */
export const WEIGHTS_FILE = /^weights-([0-9a-f]{16})\.bin$/;

/** The weights file name of checkpoints saved before content-named weights. */
export const OLD_WEIGHTS_FILE = "weights.bin";

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Whether `path` lies inside the folder `dir` (and is not `dir` itself); give both resolved the
 * same way (both absolute, or both real paths).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.ok(isInsideFolder("/ckpt/mlp_1", "/ckpt/mlp_1/weights.bin"));
 * assert.ok(!isInsideFolder("/ckpt/mlp_1", "/ckpt/deno.json"));
 * assert.ok(!isInsideFolder("/ckpt/mlp_1", "/ckpt/mlp_1"));
 * ```
 */
export function isInsideFolder(dir: string, path: string): boolean {
  const inside = relative(dir, path);
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside);
}

/** How a message shows a value read from model.json: as JSON, or "none" where it is missing. */
function shown(value: unknown): string {
  return JSON.stringify(value) ?? "none";
}

/** A weights path of the manifest as a path inside `dir`; refuses paths that leave it. */
function weightPath(dir: string, path: unknown, modelPath: string): string {
  if (typeof path !== "string" || path === "") {
    throw checkError(`${modelPath}: weight path`, "a file name", shown(path));
  }
  const target = resolve(dir, normalize(path));
  if (isAbsolute(path) || !isInsideFolder(resolve(dir), target)) {
    throw checkError(
      `${modelPath}: weight path ${JSON.stringify(path)}`,
      `a file inside the checkpoint folder ${dir}`,
      "a path that leaves it",
    );
  }
  return join(dir, relative(resolve(dir), target));
}

function specBytes(spec: io.WeightsManifestEntry, modelPath: string): number {
  if (typeof spec !== "object" || spec === null || typeof spec.name !== "string") {
    throw checkError(
      `${modelPath}: weightsManifest entry`,
      "a weight { name, shape, dtype }",
      shown(spec),
    );
  }
  const quantization = spec.quantization;
  if (quantization !== undefined && (typeof quantization !== "object" || quantization === null)) {
    throw checkError(
      `${modelPath}: weight ${spec.name}: quantization`,
      "an object or none",
      shown(quantization),
    );
  }
  const dtype = quantization?.dtype ?? spec.dtype;
  const size = Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
  const shape: unknown = spec.shape;
  if (
    !size || !Array.isArray(shape) ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    throw checkError(
      `${modelPath}: weight ${spec.name}`,
      `a tfjs dtype (${Object.keys(DTYPE_BYTES).join(", ")}) and a shape of sizes ≥ 0`,
      `dtype ${shown(dtype)} and shape ${shown(shape)}`,
    );
  }
  return size * (shape as number[]).reduce((a, b) => a * b, 1);
}

/** The first element of a float32 weight that is NaN or ±Infinity, if any. */
function firstNonFinite(
  specs: io.WeightsManifestEntry[],
  bytes: Uint8Array,
  modelPath: string,
): { spec: io.WeightsManifestEntry; index: number; value: number; offset: number } | undefined {
  let offset = 0;
  for (const spec of specs) {
    const length = specBytes(spec, modelPath);
    if (spec.dtype === "float32" && !spec.quantization) {
      const start = bytes.byteOffset + offset;
      const values = start % 4 === 0
        ? new Float32Array(bytes.buffer, start, length / 4)
        : new Float32Array(bytes.slice(offset, offset + length).buffer);
      for (let i = 0; i < values.length; i++) {
        // x - x is 0 for every finite x, NaN for NaN and ±Infinity.
        if (values[i] - values[i] !== 0) return { spec, index: i, value: values[i], offset };
      }
    }
    offset += length;
  }
  return undefined;
}

async function contentName(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  const hex = Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  return `weights-${hex}.bin`;
}

/** A model as a save writes it: its artifacts as tfjs serializes them, the weights as bytes. */
export type SavedModel = Omit<io.ModelArtifacts, "weightData"> & {
  /** The weights' bytes, in the order of `weightSpecs`. */
  weights: Uint8Array;
};

/** The two files of a save: the weights file's name and bytes, and model.json naming it. */
export interface CheckpointWrite {
  /** `weights-<16 hex digits of its SHA-256>.bin`. */
  weightsName: string;
  /** The weights file's content. */
  weights: Uint8Array;
  /** model.json's text. */
  modelJson: string;
}

/**
 * The files that save `model` to the folder `dir`, with `metadata` merged into model.json's
 * `userDefinedMetadata` (a stale train resume state dropped first); refuses weights holding NaN
 * or ±Infinity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const weights = new Uint8Array(new Float32Array([0.5, NaN]).buffer);
 * const weightSpecs = [{ name: "dense/bias", shape: [2], dtype: "float32" as const }];
 * await assert.rejects(encodeCheckpoint("ckpt", { modelTopology: {}, weightSpecs, weights }), {
 *   message: "saveCheckpoint ckpt: weight dense/bias: expected finite numbers, got NaN at " +
 *     "element 1; nothing was written, the checkpoint there is kept",
 * });
 * const zeros = new Uint8Array(8);
 * const files = await encodeCheckpoint("ckpt", { modelTopology: {}, weightSpecs, weights: zeros });
 * assert.match(files.weightsName, /^weights-[0-9a-f]{16}\.bin$/);
 * ```
 */
export async function encodeCheckpoint(
  dir: string,
  model: SavedModel,
  metadata?: Record<string, object>,
): Promise<CheckpointWrite> {
  const specs = model.weightSpecs ?? [];
  const weights = model.weights;
  const weightsName = await contentName(weights);
  const { [TRAINING_METADATA]: _stale, ...userMetadata } = model.userDefinedMetadata ?? {};
  const merged = { ...userMetadata, ...metadata };
  const json: io.ModelJSON = {
    modelTopology: model.modelTopology as object,
    format: model.format,
    generatedBy: model.generatedBy,
    convertedBy: model.convertedBy,
    trainingConfig: model.trainingConfig,
    userDefinedMetadata: Object.keys(merged).length > 0 ? merged : undefined,
    weightsManifest: [{ paths: [weightsName], weights: specs }],
  };
  const modelJson = JSON.stringify(json);
  const bad = firstNonFinite(specs, weights, `saveCheckpoint ${dir}`);
  if (bad) {
    throw checkError(
      `saveCheckpoint ${dir}: weight ${bad.spec.name}`,
      "finite numbers",
      `${bad.value} at element ${bad.index}; nothing was written, the checkpoint there is kept`,
    );
  }
  return { weightsName, weights, modelJson };
}

/** The files of a checkpoint folder, read and checked. */
export interface CheckpointFiles {
  /** The path of model.json. */
  modelPath: string;
  /** model.json, parsed. */
  json: io.ModelJSON;
  /** The weight specs of every manifest group, in order. */
  specs: io.WeightsManifestEntry[];
  /** The weights files' bytes, concatenated in manifest order. */
  weightData: ArrayBuffer;
}

/** How a message names a value read from model.json: JSON-like, or "none" where it is missing. */
function kindOf(value: unknown): string {
  if (value === undefined) return "none";
  if (typeof value === "string") return "a string";
  if (typeof value !== "object" || value === null) return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

/**
 * Reads and checks the checkpoint in `dir`: model.json's shape, weight paths inside the folder,
 * the weights' total size, and with `verify` each content-named file's hash and that no float32
 * weight holds NaN or ±Infinity. Throws an Error naming the file and what was expected.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/model.json`, '{"modelTopology": ');
 * await assert.rejects(
 *   readCheckpointFiles(dir, true),
 *   /model\.json: expected a tfjs layers model\.json, got corrupt JSON \(.*\)$/,
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readCheckpointFiles(dir: string, verify: boolean): Promise<CheckpointFiles> {
  const modelPath = join(dir, MODEL_FILE);
  const json = await readModelJson(modelPath);
  const groups = json.weightsManifest;
  const paths = groups.flatMap((group) => group.paths.map((p) => weightPath(dir, p, modelPath)));
  const specs = groups.flatMap((group) => group.weights);
  const expected = specs.reduce((sum, spec) => sum + specBytes(spec, modelPath), 0);
  const parts = await readWeightFiles(paths, modelPath);
  const found = parts.reduce((sum, part) => sum + part.byteLength, 0);
  if (found !== expected) {
    throw checkError(
      paths.join(", "),
      `${expected} bytes of weights, as ${modelPath} describes`,
      `${found} bytes`,
    );
  }
  const bytes = parts.length === 1 ? parts[0] : new Uint8Array(found);
  if (parts.length !== 1) {
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.byteLength;
    }
  }
  if (verify) await verifyWeights(paths, parts, specs, bytes, modelPath);
  const weightData = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes.buffer as ArrayBuffer
    : bytes.slice().buffer;
  return { modelPath, json, specs, weightData };
}

/** A checkpoint's model.json, read and checked for a topology and a weights manifest. */
async function readModelJson(modelPath: string): Promise<io.ModelJSON> {
  let text: string;
  try {
    text = await Deno.readTextFile(modelPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw checkError(modelPath, "a checkpoint written by saveCheckpoint", "no file (not found)");
    }
    throw checkError(
      modelPath,
      "the model.json file of a tfjs layers checkpoint",
      `one that cannot be read (${messageOf(error)})`,
    );
  }
  let json: io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw checkError(modelPath, "a tfjs layers model.json", `corrupt JSON (${messageOf(error)})`);
  }
  if (typeof json !== "object" || json === null || !json.modelTopology) {
    throw checkError(
      `${modelPath}: modelTopology`,
      "the topology of a tfjs layers model",
      typeof json === "object" && json !== null ? kindOf(json.modelTopology) : "none",
    );
  }
  const manifest: unknown = json.weightsManifest;
  if (
    !Array.isArray(manifest) ||
    !manifest.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights))
  ) {
    throw checkError(
      `${modelPath}: weightsManifest`,
      "a list of { paths, weights } groups",
      Array.isArray(manifest) ? "a group without a paths or weights list" : kindOf(manifest),
    );
  }
  return json;
}

/** The bytes of each weights file that model.json names, in its order. */
async function readWeightFiles(paths: string[], modelPath: string): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for (const path of paths) {
    try {
      parts.push(await Deno.readFile(path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw checkError(
          path,
          `the weights file that ${modelPath} names in its weightsManifest`,
          "no file (it is missing)",
        );
      }
      throw checkError(path, "a weights file", `one that cannot be read (${messageOf(error)})`);
    }
  }
  return parts;
}

/** Refuses weights files whose content no longer matches their name, or any weight not finite. */
async function verifyWeights(
  paths: string[],
  parts: Uint8Array[],
  specs: io.WeightsManifestEntry[],
  bytes: Uint8Array,
  modelPath: string,
): Promise<void> {
  for (const [i, path] of paths.entries()) {
    const name = basename(path);
    if (WEIGHTS_FILE.test(name) && (await contentName(parts[i])) !== name) {
      throw checkError(
        `${path}: content does not match the SHA-256 in its name`,
        "the bytes that were saved",
        "a damaged file",
      );
    }
  }
  const bad = firstNonFinite(specs, bytes, modelPath);
  if (!bad) return;
  let file = 0;
  for (let end = parts[0].byteLength; bad.offset >= end; end += parts[file].byteLength) file++;
  const count = bad.spec.shape.reduce((a, b) => a * b, 1);
  throw checkError(
    `${paths[file]}: weight ${bad.spec.name}`,
    "finite numbers",
    `${bad.value} at element ${bad.index} of ${count} (a diverged or damaged checkpoint)`,
  );
}

/**
 * The files that model.json in `dir` names (relative to `dir`): "none" without model.json,
 * undefined where it cannot be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * assert.equal(await referencedFiles(dir), "none");
 * const weightsManifest = [{ paths: ["weights-0123456789abcdef.bin"], weights: [] }];
 * await Deno.writeTextFile(`${dir}/model.json`, JSON.stringify({ weightsManifest }));
 * assert.deepEqual(await referencedFiles(dir), new Set(["weights-0123456789abcdef.bin"]));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function referencedFiles(dir: string): Promise<Set<string> | "none" | undefined> {
  const modelPath = join(dir, MODEL_FILE);
  try {
    const json = JSON.parse(await Deno.readTextFile(modelPath)) as io.ModelJSON;
    const paths = json.weightsManifest.flatMap((group) => group.paths);
    return new Set(paths.map((p) => relative(resolve(dir), weightPath(dir, p, modelPath))));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "none";
    return undefined;
  }
}
