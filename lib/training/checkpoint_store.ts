/**
 * Checkpoint folders on disk, under the public `saveCheckpoint` and `loadCheckpoint`
 * (checkpoint.ts): how a save commits, what a crash can leave and how it is cleaned up, how saves
 * to one folder take turns, and how a load checks the files. `train` (its resume state) and the
 * kill test (its stop points) use the options here; lib/mod.ts does not export this file.
 *
 * A folder holds `model.json` and one weights file `weights-<16 hex digits>.bin`, named by the
 * first 64 bits of the SHA-256 of its content; model.json's `weightsManifest.paths` names it, so
 * the folder is a standard tfjs layers checkpoint (`tf.loadLayersModel` reads it, in a browser
 * too). A save writes the new weights file beside the old one, then model.json through a
 * temporary file and one rename: that rename is the commit. The superseded weights file is
 * removed after it. Every file is fsynced before its rename, and the folder after each rename.
 *
 * Saves and loads of one folder take turns under an exclusive `flock` on the folder itself (no
 * lock file; the kernel drops it when a process dies, even by SIGKILL). So a temporary file or
 * an unreferenced weights file found while holding the lock belongs to no running save, and is
 * removed.
 *
 * @module
 */
import {
  fuseCrossentropy,
  fusedAdam,
  type FusedAdamOptimizer,
  fuseDenseTraining,
} from "@mnist-mlp/tfjs-backend-blas/training";
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from "node:path";
import { syncFolder, tempFileTarget, writeFileAtomic, type WriteStep } from "../atomic_write.ts";
import "../model/seeded_dropout.ts";
import { type io, type LayersModel, type Tensor, tf } from "../tf.ts";

/** The model file of a checkpoint folder: the commit point of a save. */
export const MODEL_FILE = "model.json";

/** Weights files that saves write: named by the first 16 hex digits of their SHA-256. */
const WEIGHTS_FILE = /^weights-([0-9a-f]{16})\.bin$/;

/** The weights file name of checkpoints saved before content-named weights. */
const OLD_WEIGHTS_FILE = "weights.bin";

/**
 * Folders of the earlier scheme (a temporary folder `.checkpoint-XXXX` beside the checkpoint,
 * renamed over it after renaming the old one to `.checkpoint-XXXX.old`), which a crash left.
 */
const OLD_SCHEME_FOLDER = /^\.checkpoint-([A-Za-z0-9_]+)(\.old)?$/;

/** The moments of a save, in order (the kill test stops a process at each). */
export type SaveStep =
  | "locked"
  | "cleaned"
  | `weights:${WriteStep}`
  | `model:${WriteStep}`
  | "removed";

const WRITE_STEPS: readonly WriteStep[] = [
  "opened",
  "half",
  "written",
  "synced",
  "renamed",
  "done",
];

/** Every {@linkcode SaveStep}, in the order a save passes them. */
export const SAVE_STEPS: readonly SaveStep[] = [
  "locked",
  "cleaned",
  ...WRITE_STEPS.map((s) => `weights:${s}` as const),
  ...WRITE_STEPS.map((s) => `model:${s}` as const),
  "removed",
];

/** What a save takes besides the model; not part of the public `saveCheckpoint`. */
export interface SaveInternals {
  /** Merged into model.json's `userDefinedMetadata` (train's resume state, under `training`). */
  metadata?: Record<string, object>;
  /** Awaited at each step of the save; for tests that stop the process at a chosen moment. */
  onStep?: (step: SaveStep) => void | Promise<void>;
}

/** The key of train's resume state in model.json's `userDefinedMetadata`. */
export const TRAINING_METADATA = "training";

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function removeIfPresent(path: string, options?: Deno.RemoveOptions) {
  try {
    await Deno.remove(path, options);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** What is at `path`: a folder (links followed), something else, or nothing. */
async function pathKind(path: string): Promise<"folder" | "file" | "missing"> {
  try {
    return (await Deno.stat(path)).isDirectory ? "folder" : "file";
  } catch (error) {
    // NotADirectory: a part of the path is a file, so there is nothing at the path.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return "missing";
    }
    throw error;
  }
}

/** A folder opened and locked (or not, where the file system has no flock). */
interface HeldFolder {
  folder: Deno.FsFile;
  locked: boolean;
}

/**
 * Opens `dir` and takes the exclusive lock on it, waiting for another holder; undefined when the
 * path no longer names the folder that was locked (it was replaced or removed meanwhile).
 */
async function lockFolder(dir: string): Promise<HeldFolder | undefined> {
  const folder = await Deno.open(dir, { read: true });
  try {
    let locked = true;
    try {
      await folder.lock(true);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== "ENOLCK" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
      locked = false;
    }
    const held = await folder.stat();
    const now = await Deno.stat(dir).catch(() => undefined);
    if (now && (held.ino === null || (held.ino === now.ino && held.dev === now.dev))) {
      return { folder, locked };
    }
  } catch (error) {
    folder.close();
    throw error;
  }
  folder.close();
  return undefined;
}

/** Runs `task` holding the lock on the existing folder `dir`. */
async function withFolderLock<T>(dir: string, task: (locked: boolean) => Promise<T>): Promise<T> {
  for (let attempt = 0;; attempt++) {
    const held = await lockFolder(dir);
    if (held) {
      try {
        return await task(held.locked);
      } finally {
        held.folder.close();
      }
    }
    if (attempt === 10) throw new Error(`${dir}: the folder keeps being replaced while locking it`);
  }
}

/** A weights path of the manifest as a path inside `dir`; refuses paths that leave it. */
function weightPath(dir: string, path: unknown, modelPath: string): string {
  if (typeof path !== "string" || path === "") {
    throw new Error(`${modelPath}: weight path ${JSON.stringify(path)}: expected a file name`);
  }
  const inside = relative(resolve(dir), resolve(dir, normalize(path)));
  if (isAbsolute(path) || inside === "" || inside.startsWith("..") || isAbsolute(inside)) {
    throw new Error(
      `${modelPath}: weight path ${JSON.stringify(path)} leaves the checkpoint folder ${dir}`,
    );
  }
  return join(dir, inside);
}

function specBytes(spec: io.WeightsManifestEntry, modelPath: string): number {
  if (typeof spec !== "object" || spec === null || typeof spec.name !== "string") {
    throw new Error(
      `${modelPath}: weightsManifest entry ${JSON.stringify(spec)}: expected a weight ` +
        `{ name, shape, dtype }`,
    );
  }
  const quantization = spec.quantization;
  if (quantization !== undefined && (typeof quantization !== "object" || quantization === null)) {
    throw new Error(
      `${modelPath}: weight ${spec.name}: quantization ${JSON.stringify(quantization)}: ` +
        `expected an object or none`,
    );
  }
  const dtype = quantization?.dtype ?? spec.dtype;
  const size = Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
  const shape: unknown = spec.shape;
  if (
    !size || !Array.isArray(shape) ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    throw new Error(
      `${modelPath}: weight ${spec.name} has dtype ${JSON.stringify(dtype)} or shape ` +
        `${JSON.stringify(shape)} that is not supported; expected float32, int32 or another ` +
        `tfjs dtype and a list of sizes`,
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

/**
 * Reads and checks the checkpoint in `dir`: model.json's shape, weight paths inside the folder,
 * the weights' total size, and with `verify` each content-named file's hash and that no float32
 * weight holds NaN or ±Infinity. Throws an Error naming the file and what was expected.
 */
async function readFolder(dir: string, verify: boolean): Promise<CheckpointFiles> {
  const modelPath = join(dir, MODEL_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(modelPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${modelPath}: not found; expected a checkpoint written by saveCheckpoint`);
    }
    throw new Error(
      `${modelPath}: cannot read (${
        messageOf(error)
      }); expected the model.json file of a tfjs layers checkpoint`,
    );
  }
  let json: io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${modelPath}: corrupt JSON (${messageOf(error)}); expected a tfjs layers model.json`,
    );
  }
  if (typeof json !== "object" || json === null || !json.modelTopology) {
    throw new Error(`${modelPath}: expected a tfjs layers model with modelTopology`);
  }
  const manifest = json.weightsManifest;
  if (
    !Array.isArray(manifest) ||
    !manifest.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights))
  ) {
    throw new Error(`${modelPath}: expected a weightsManifest of { paths, weights } groups`);
  }
  const paths = manifest.flatMap((group) => group.paths.map((p) => weightPath(dir, p, modelPath)));
  const specs = manifest.flatMap((group) => group.weights);
  const expected = specs.reduce((sum, spec) => sum + specBytes(spec, modelPath), 0);
  const parts: Uint8Array[] = [];
  for (const path of paths) {
    try {
      parts.push(await Deno.readFile(path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new Error(
          `${path}: cannot read weights: the file is missing; expected the weights file that ` +
            `${modelPath} names in its weightsManifest`,
        );
      }
      throw new Error(`${path}: cannot read weights (${messageOf(error)})`);
    }
  }
  const found = parts.reduce((sum, part) => sum + part.byteLength, 0);
  if (found !== expected) {
    throw new Error(
      `${paths.join(", ")}: ${found} bytes of weights, but ${modelPath} describes ${expected}`,
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
  if (verify) {
    for (const [i, path] of paths.entries()) {
      const name = basename(path);
      if (WEIGHTS_FILE.test(name) && (await contentName(parts[i])) !== name) {
        throw new Error(
          `${path}: content does not match the SHA-256 in its name: expected the bytes that ` +
            `were saved, got a damaged file`,
        );
      }
    }
    const bad = firstNonFinite(specs, bytes, modelPath);
    if (bad) {
      let file = 0;
      for (let end = parts[0].byteLength; bad.offset >= end; end += parts[file].byteLength) file++;
      const count = bad.spec.shape.reduce((a, b) => a * b, 1);
      throw new Error(
        `${paths[file]}: weight ${bad.spec.name}: expected finite numbers, got ${bad.value} ` +
          `at element ${bad.index} of ${count} (a diverged or damaged checkpoint)`,
      );
    }
  }
  const weightData = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes.buffer as ArrayBuffer
    : bytes.slice().buffer;
  return { modelPath, json, specs, weightData };
}

/**
 * The files that model.json in `dir` names (relative to `dir`): "none" without model.json,
 * undefined where it cannot be read.
 */
async function referencedFiles(dir: string): Promise<Set<string> | "none" | undefined> {
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

/**
 * Removes what a crashed save left in `dir` (the caller holds its lock): temporary files, and the
 * weights files that model.json does not name: content-named ones (all of them where there is no
 * model.json yet), and a superseded `weights.bin` of the earlier scheme. Where model.json cannot
 * be read it removes no weights file; it never removes other files.
 */
async function removeStale(dir: string, referenced: Set<string> | "none" | undefined) {
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile) continue;
    const unreferenced = referenced === "none" ||
      (referenced !== undefined && !referenced.has(entry.name));
    const stale = tempFileTarget(entry.name) !== undefined ||
      (WEIGHTS_FILE.test(entry.name) && unreferenced) ||
      (entry.name === OLD_WEIGHTS_FILE && referenced instanceof Set && unreferenced);
    if (stale) await removeIfPresent(join(dir, entry.name));
  }
}

/** Removes a leftover folder; where that fails (a read-only parent), it stays, harmless. */
async function removeTree(path: string) {
  await Deno.remove(path, { recursive: true }).catch(() => {});
}

async function isCompleteCheckpoint(dir: string): Promise<boolean> {
  try {
    await readFolder(dir, false);
    return true;
  } catch {
    return false;
  }
}

/**
 * Cleans up after crashed saves of the earlier scheme beside `dir`, holding the lock on the
 * parent folder: removes incomplete `.checkpoint-*` folders and complete ones that were never
 * renamed into place (no `.old` partner); and, when `dir` is missing, renames the one remaining
 * leftover into `dir` (the newer copy where both are complete). With several leftovers `dir`'s
 * cannot be told: a load says so, a save leaves them.
 */
async function recoverOldScheme(dir: string, purpose: "save" | "load"): Promise<void> {
  const parent = dirname(resolve(dir));
  const oldFolders = async () => {
    try {
      return (await Array.fromAsync(Deno.readDir(parent)))
        .filter((e) => e.isDirectory && OLD_SCHEME_FOLDER.test(e.name)).map((e) => e.name);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return [];
      }
      throw error;
    }
  };
  if ((await oldFolders()).length === 0) return;
  await withFolderLock(parent, async () => {
    const groups = new Map<string, { tmp?: string; old?: string }>();
    for (const name of await oldFolders()) {
      const [, id, old] = OLD_SCHEME_FOLDER.exec(name)!;
      const group = groups.get(id) ?? {};
      group[old ? "old" : "tmp"] = join(parent, name);
      groups.set(id, group);
    }
    for (const [id, group] of groups) {
      for (const key of ["tmp", "old"] as const) {
        const path = group[key];
        if (path && !(await isCompleteCheckpoint(path))) {
          await removeTree(path);
          delete group[key];
        }
      }
      if (group.tmp && !group.old) {
        await removeTree(group.tmp);
        delete group.tmp;
      }
      if (!group.tmp && !group.old) groups.delete(id);
    }
    if (groups.size === 0 || (await pathKind(dir)) !== "missing") return;
    const candidates = [...groups.values()];
    if (candidates.length > 1) {
      if (purpose === "save") return;
      const list = candidates.flatMap((g) => [g.tmp, g.old]).filter(Boolean).join(", ");
      throw new Error(
        `checkpoint folder not found: ${dir}; ${parent} holds ${candidates.length} checkpoints ` +
          `that interrupted saves of an earlier version left (${list}): expected one, so which ` +
          `is ${basename(dir)} cannot be told; rename the right one to ${basename(dir)}`,
      );
    }
    const [{ tmp, old }] = candidates;
    const source = tmp ?? old!;
    await Deno.rename(source, dir);
    if (tmp && old) await removeTree(old);
    await syncFolder(parent);
    console.warn(
      `Note: recovered the checkpoint ${dir} from ${source}, which an interrupted save of an ` +
        `earlier version left`,
    );
  });
}

/**
 * Makes sure `dir` is a folder, creating it (and its parents) where missing, after cleaning up
 * beside it after crashed saves of the earlier scheme (see {@linkcode recoverOldScheme}).
 */
async function prepareFolder(dir: string): Promise<void> {
  const kind = await pathKind(dir);
  if (kind === "file") {
    throw new Error(
      `saveCheckpoint: ${dir} is a file: expected a folder, or a path that does not exist yet`,
    );
  }
  const parent = dirname(resolve(dir));
  if (kind === "missing") {
    try {
      await Deno.mkdir(parent, { recursive: true });
    } catch (error) {
      throw new Error(
        `saveCheckpoint: cannot create the folder ${parent} for ${dir} (${
          messageOf(error)
        }): expected a path whose existing parts are folders`,
      );
    }
  }
  await recoverOldScheme(dir, "save");
  if (kind === "folder") return;
  await withFolderLock(parent, async () => {
    if ((await pathKind(dir)) !== "missing") return;
    await Deno.mkdir(dir);
    await syncFolder(parent);
  });
}

/**
 * Writes serialized model artifacts to `dir` as a checkpoint (see the module's description);
 * refuses, before writing anything, weights holding NaN or ±Infinity.
 */
export async function writeArtifacts(
  dir: string,
  artifacts: io.ModelArtifacts,
  internals: SaveInternals = {},
): Promise<void> {
  const step = internals.onStep ?? (() => {});
  const specs = artifacts.weightSpecs ?? [];
  const weights = artifacts.weightData === undefined
    ? new Uint8Array(0)
    : new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const weightsName = await contentName(weights);
  const { [TRAINING_METADATA]: _stale, ...userMetadata } = artifacts.userDefinedMetadata ?? {};
  const metadata = { ...userMetadata, ...internals.metadata };
  const json: io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    trainingConfig: artifacts.trainingConfig,
    userDefinedMetadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    weightsManifest: [{ paths: [weightsName], weights: specs }],
  };
  const text = JSON.stringify(json);
  const bad = firstNonFinite(specs, weights, `saveCheckpoint ${dir}`);
  if (bad) {
    throw new Error(
      `saveCheckpoint ${dir}: weight ${bad.spec.name}: expected finite numbers, got ${bad.value} ` +
        `at element ${bad.index}; nothing was written, the checkpoint there is kept`,
    );
  }
  try {
    await prepareFolder(dir);
    await withFolderLock(dir, async (locked) => {
      await step("locked");
      const previous = await referencedFiles(dir);
      // Without a lock another save may be running here: leave what may be its files.
      if (locked) await removeStale(dir, previous);
      await step("cleaned");
      await writeFileAtomic(join(dir, weightsName), weights, {
        onStep: (s) => step(`weights:${s}`),
      });
      await writeFileAtomic(join(dir, MODEL_FILE), text, { onStep: (s) => step(`model:${s}`) });
      for (const name of previous instanceof Set ? previous : []) {
        if (name !== weightsName) await removeIfPresent(join(dir, name));
      }
      await step("removed");
    });
  } catch (error) {
    if (messageOf(error).includes(dir)) throw error;
    throw new Error(`saveCheckpoint ${dir}: ${messageOf(error)}`, { cause: error });
  }
}

/** Serializations of models, one at a time. */
let serializing: Promise<unknown> = Promise.resolve();

/**
 * The model's artifacts as `model.save` makes them, optimizer state included. tfjs's
 * `optimizer.getWeights()` makes an iteration-count scalar that `save` never disposes; the
 * serialization catches that one call's result and disposes the scalar itself (an engine scope
 * across the awaits would also dispose tensors that other code makes meanwhile).
 */
function modelArtifacts(model: LayersModel): Promise<io.ModelArtifacts> {
  const run = serializing.then(async () => {
    const optimizer = model.optimizer;
    const made: Tensor[] = [];
    if (optimizer !== undefined) {
      const getWeights = optimizer.getWeights;
      optimizer.getWeights = async function () {
        delete (this as Partial<typeof optimizer>).getWeights; // one call: model.save's
        const weights = await getWeights.call(this);
        if (weights.length > 0) made.push(weights[0].tensor);
        return weights;
      };
    }
    try {
      let captured: io.ModelArtifacts | undefined;
      await model.save({
        save: (artifacts) => {
          captured = artifacts;
          return Promise.resolve({
            modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
          });
        },
      }, { includeOptimizer: true });
      return captured!;
    } finally {
      if (optimizer !== undefined) delete (optimizer as Partial<typeof optimizer>).getWeights;
      tf.dispose(made);
    }
  });
  serializing = run.catch(() => {});
  return run;
}

/** Saves `model` with its optimizer state to the checkpoint folder `dir`. */
export async function saveModel(
  model: LayersModel,
  dir: string,
  internals: SaveInternals = {},
): Promise<void> {
  await writeArtifacts(dir, await modelArtifacts(model), internals);
}

/**
 * Reads the checkpoint in `dir` under its lock, after recovering what crashed saves left (see
 * {@linkcode recoverOldScheme}) and removing stale files where the folder is writable.
 */
export async function readCheckpoint(dir: string): Promise<CheckpointFiles> {
  await recoverOldScheme(dir, "load");
  const kind = await pathKind(dir);
  if (kind === "missing") throw new Error(`checkpoint folder not found: ${dir}`);
  if (kind === "file") {
    const hint = basename(dir) === MODEL_FILE ? `; pass its folder ${dirname(dir)}` : "";
    throw new Error(
      `loadCheckpoint: ${dir} is a file: expected a checkpoint folder holding ${MODEL_FILE}${hint}`,
    );
  }
  return await withFolderLock(dir, async (locked) => {
    if (locked) await removeStale(dir, await referencedFiles(dir)).catch(() => {});
    return await readFolder(dir, true);
  });
}

/** An Error naming model.json for one that tfjs threw while building the model. */
function buildError(modelPath: string, error: unknown): Error {
  const message = messageOf(error);
  const unknown = /^Unknown (\w+): ([^\s.]+)/.exec(message);
  if (unknown) {
    return new Error(
      `${modelPath}: ${unknown[1]} class ${unknown[2]}: expected one that tfjs has or that ` +
        `tf.serialization.registerClass registered (lib/model/seeded_dropout.ts registers ` +
        `SeededDropout), got an unknown class`,
      { cause: error },
    );
  }
  return new Error(
    `${modelPath}: cannot build the model (${
      message.split("\n")[0]
    }); expected a tfjs layers model whose weights match its layers`,
    { cause: error },
  );
}

/**
 * Adam's accumulated β₁ᵗ⁺¹ and β₂ᵗ⁺¹ as training computes them, one float32 product per step:
 * tfjs's `setWeights` computes them with one `pow`, which differs in the last bits, so training on
 * after a load would drift from training on without one.
 */
function restoreAccumulatedBetas(adam: FusedAdamOptimizer, beta1: number, beta2: number) {
  const fields = adam as unknown as Record<string, { assign?: unknown } | undefined>;
  for (const [field, beta] of [["accBeta1", beta1], ["accBeta2", beta2]] as const) {
    const variable = fields[field];
    // Where this tfjs keeps them elsewhere, its own values stay.
    if (typeof variable?.assign !== "function") return;
    let accumulated = Math.fround(beta);
    for (let i = 0; i < adam.iterations; i++) {
      accumulated = Math.fround(accumulated * Math.fround(beta));
    }
    tf.tidy(() => (variable as InstanceType<typeof tf.Variable>).assign(tf.scalar(accumulated)));
  }
}

/**
 * Gives a loaded model the training setup `buildMlp` gives a new one, so it trains on exactly as
 * the saved model would have: fused cross-entropy, its Adam (moments, step count and
 * accumulated betas) moved into `fusedAdam` (tfjs's own Adam off the blas backend), and the
 * one-pass training step of a dense stack.
 */
async function restoreTraining(model: LayersModel): Promise<void> {
  if (model.loss === "categoricalCrossentropy" && model.outputs.length === 1) {
    fuseCrossentropy(model);
  }
  const adam = model.optimizer;
  if (
    adam === undefined || adam.getClassName() !== "Adam" ||
    Object.getPrototypeOf(adam) !== tf.AdamOptimizer.prototype
  ) {
    return;
  }
  const { learningRate, beta1, beta2, epsilon } = adam.getConfig() as Record<string, number>;
  const fused = fusedAdam(learningRate, beta1, beta2, epsilon);
  const state = await adam.getWeights();
  await fused.setWeights(state);
  tf.dispose(state[0].tensor); // the step count, which getWeights made as a new scalar
  adam.dispose();
  model.optimizer = fused;
  restoreAccumulatedBetas(fused, beta1, beta2);
  fuseDenseTraining(model);
}

/** Loads the checkpoint in `dir` as a compiled model with its optimizer state (see checkpoint.ts). */
export async function loadModel(dir: string): Promise<LayersModel> {
  const files = await readCheckpoint(dir);
  const artifacts = tf.io.getModelArtifactsForJSON(
    files.json,
    () => Promise.resolve([files.specs, files.weightData]),
  );
  let model: LayersModel;
  try {
    model = await tf.loadLayersModel({ load: () => artifacts });
  } catch (error) {
    throw buildError(files.modelPath, error);
  }
  await restoreTraining(model);
  return model;
}
