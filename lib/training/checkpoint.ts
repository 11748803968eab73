/**
 * Saving and loading models as tfjs layers checkpoints (model.json + weights.bin) on disk.
 *
 * @module
 */
import { dirname, isAbsolute, join, normalize, relative, resolve } from "node:path";
import "../model/seeded_dropout.ts";
import { type io, type LayersModel, tf } from "../tf.ts";

/** File names inside a checkpoint folder. */
export const CHECKPOINT_FILES = { model: "model.json", weights: "weights.bin" } as const;

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

async function writeFileSynced(path: string, data: Uint8Array) {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  let written = 0;
  while (written < data.length) written += await file.write(data.subarray(written));
  await file.sync();
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** A tfjs IO handler that writes a checkpoint folder atomically. */
function fileSaver(dir: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts) {
      const parent = dirname(resolve(dir));
      await Deno.mkdir(parent, { recursive: true });
      const tmp = await Deno.makeTempDir({ dir: parent, prefix: ".checkpoint-" });
      try {
        const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
        await writeFileSynced(join(tmp, CHECKPOINT_FILES.weights), weights);
        const json: io.ModelJSON = {
          modelTopology: artifacts.modelTopology as object,
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          trainingConfig: artifacts.trainingConfig,
          userDefinedMetadata: artifacts.userDefinedMetadata,
          weightsManifest: [{
            paths: [CHECKPOINT_FILES.weights],
            weights: artifacts.weightSpecs ?? [],
          }],
        };
        await writeFileSynced(
          join(tmp, CHECKPOINT_FILES.model),
          new TextEncoder().encode(JSON.stringify(json)),
        );
        const old = `${tmp}.old`;
        const replacing = await exists(dir);
        if (replacing) await Deno.rename(dir, old);
        await Deno.rename(tmp, dir);
        if (replacing) await Deno.remove(old, { recursive: true });
      } catch (error) {
        await Deno.remove(tmp, { recursive: true }).catch(() => {});
        throw error;
      }
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

function weightPath(dir: string, path: unknown, modelPath: string): string {
  if (typeof path !== "string" || path === "") {
    throw new Error(`${modelPath}: weight path ${JSON.stringify(path)}: expected a file name`);
  }
  const inside = relative(resolve(dir), resolve(dir, normalize(path)));
  if (isAbsolute(path) || inside.startsWith("..") || isAbsolute(inside)) {
    throw new Error(
      `${modelPath}: weight path ${JSON.stringify(path)} leaves the checkpoint folder ${dir}`,
    );
  }
  return join(dir, inside);
}

function manifestBytes(manifest: io.WeightsManifestConfig, modelPath: string): number {
  let bytes = 0;
  for (const spec of manifest.flatMap((group) => group.weights)) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const size = DTYPE_BYTES[dtype];
    if (!size || !Array.isArray(spec.shape)) {
      throw new Error(
        `${modelPath}: weight ${spec.name} has dtype ${dtype} or shape ${spec.shape} that is not supported`,
      );
    }
    bytes += size * spec.shape.reduce((a, b) => a * b, 1);
  }
  return bytes;
}

/** A tfjs IO handler that reads and validates a checkpoint folder. */
function fileLoader(dir: string): io.IOHandler {
  return {
    async load() {
      const modelPath = join(dir, CHECKPOINT_FILES.model);
      let text: string;
      try {
        text = await Deno.readTextFile(modelPath);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) {
          throw new Error(
            (await exists(dir))
              ? `${modelPath}: not found; expected a checkpoint written by saveCheckpoint`
              : `checkpoint folder not found: ${dir}`,
          );
        }
        throw error;
      }
      let json: io.ModelJSON;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new Error(`${modelPath}: corrupt JSON (${(error as Error).message})`);
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
      const paths = manifest.flatMap((group) =>
        group.paths.map((p) => weightPath(dir, p, modelPath))
      );
      const expected = manifestBytes(manifest, modelPath);
      return tf.io.getModelArtifactsForJSON(json, async () => {
        const parts = await Promise.all(paths.map(async (path) => {
          try {
            return await Deno.readFile(path);
          } catch (error) {
            throw new Error(`${path}: cannot read weights (${(error as Error).message})`);
          }
        }));
        const found = parts.reduce((sum, part) => sum + part.byteLength, 0);
        if (found !== expected) {
          throw new Error(
            `${
              paths.join(", ")
            }: ${found} bytes of weights, but ${modelPath} describes ${expected}`,
          );
        }
        const weights = parts.map((p) => p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength));
        return [manifest.flatMap((group) => group.weights), weights];
      });
    },
  };
}

/**
 * Saves a model with its optimizer state to `dir` (model.json + weights.bin), atomically.
 *
 * The files are written to a temporary folder beside `dir` that then replaces it, so an
 * interrupted save leaves the previous checkpoint intact.
 *
 * @example
 * ```ts
 * await saveCheckpoint(model, "checkpoints/mlp_1");
 * ```
 */
export async function saveCheckpoint(model: LayersModel, dir: string): Promise<void> {
  // tfjs's optimizer.getWeights() makes an iteration-count scalar that save never disposes.
  tf.engine().startScope();
  try {
    await model.save(fileSaver(dir), { includeOptimizer: true });
  } finally {
    tf.engine().endScope();
  }
}

/**
 * Loads a model saved by {@linkcode saveCheckpoint}, compiled and with its optimizer state.
 *
 * Refuses, with an Error naming the file, a missing folder, corrupt JSON, weight paths that
 * leave the folder, and weight data whose length does not match the manifest.
 *
 * @example
 * ```ts
 * const model = await loadCheckpoint("checkpoints/mlp_1");
 * ```
 */
export function loadCheckpoint(dir: string): Promise<LayersModel> {
  return tf.loadLayersModel(fileLoader(dir));
}
