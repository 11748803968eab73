/**
 * The draw-a-digit view as one notebook output: a canvas to draw on, the 28×28 image the network
 * sees, the prediction and the ten probabilities, live in the notebook, with the checkpoint's
 * weights and the demo page's own code (demo/browser/, bundled with `deno bundle`) inlined.
 *
 * Front ends run an output's script only when the notebook is trusted, as outputs made in the
 * person's own session are. Where it does not run (a notebook opened fresh, nbconvert's
 * sanitizer, GitHub) the output's HTML shows its fallback: a PNG of a test digit as the network
 * sees it with its ten probabilities, and one line saying how to get the live canvas.
 *
 * @module
 */
import type { DatasetName } from "../lib/config.ts";
import { loadConfig } from "../lib/config.ts";
import { loadFashionMnist, loadMnist } from "../lib/data/mnist.ts";
import { pngBundle, showOutput, type SizedBundle } from "../lib/display/show.ts";
import type { Pixels } from "../lib/pictures/pixels.ts";
import { base64, pngDataUrl } from "../lib/pictures/png.ts";
import { svgToPng } from "../lib/pictures/raster.ts";
import { renderSvg } from "../lib/pictures/render.ts";
import { escapeHtml, unescapeHtml } from "../lib/pictures/tables.ts";
import { type io, type Tensor, tf } from "../lib/tf.ts";
import { loadCheckpoint } from "../lib/training/checkpoint.ts";
import { bundleScript, NOTEBOOK_ENTRY } from "./bundle.ts";
import { TRAINING_NOTEBOOK } from "./checkpoint.ts";
import { chooseClasses, DATASETS } from "./classes.ts";
import {
  BLOCK_ATTRIBUTE,
  FALLBACK_ATTRIBUTE,
  MOUNT_GLOBAL,
  type NotebookConfig,
} from "./notebook_config.ts";
import { predictionFigure } from "./notebook_figure.ts";

/** The line the output shows where its script does not run, as HTML. */
export const FALLBACK_LINE = "To draw a digit here and watch the network guess it, run this " +
  "cell (or trust the notebook); or run <code>deno task demo</code> in a terminal.";

/** Options of {@linkcode drawDigitOutput}. */
export interface DrawDigitOptions {
  /** How the output names the checkpoint (default: the folder as given). */
  label?: string;
  /**
   * The data set of the class names and the preprocessing (default: model.json's metadata, else
   * `MLP_DATASET`, else MNIST; see demo/classes.ts).
   */
  dataset?: DatasetName;
  /** The image of the fallback picture, size×size pixels (default: the first test image). */
  example?: Pixels;
}

let script: Promise<string> | undefined;

/** The output's script, bundled once per process. */
function notebookScript(): Promise<string> {
  script ??= bundleScript({ entry: NOTEBOOK_ENTRY, format: "iife" }).catch((error) => {
    script = undefined;
    throw error;
  });
  return script;
}

/** The model's topology, weight specs and weight bytes, as tfjs saves them (no optimizer). */
async function artifactsOf(model: Awaited<ReturnType<typeof loadCheckpoint>>) {
  let saved: io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler((artifacts) => {
    saved = artifacts;
    return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) });
  }));
  const { modelTopology, weightSpecs, weightData } = saved!;
  const bytes = new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData!));
  return { modelTopology: modelTopology as object, weightSpecs: weightSpecs!, bytes };
}

/**
 * Makes the output for the checkpoint in folder `checkpoint`: one bundle with `text/html` (the
 * fallback picture and line, and the script that replaces them with the live view), the picture
 * as `image/png` and a `text/plain` description; about 2 MB for the study's model (its weights,
 * 1.1 MB, in base64, and the bundled script). Throws as `loadCheckpoint` does when there is no
 * checkpoint.
 *
 * @example
 * ```ts ignore
 * // bundles the page's code (a second or two) and loads the checkpoint notebook 05 saves
 * const { bundle, metadata } = await drawDigitOutput("checkpoints/mlp_1");
 * Object.keys(bundle); // ["text/html", "image/png", "text/plain"]
 * ```
 */
export async function drawDigitOutput(
  checkpoint: string,
  options: DrawDigitOptions = {},
): Promise<SizedBundle> {
  const model = await loadCheckpoint(checkpoint, { madeBy: `notebook 05 (${TRAINING_NOTEBOOK})` });
  try {
    const { modelTopology, weightSpecs, bytes } = await artifactsOf(model);
    const metadata = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
    const env = Deno.env.get("MLP_DATASET") ? loadConfig().dataset : undefined;
    const classes = chooseClasses({ flag: options.dataset, metadata, env });
    const { fit } = DATASETS[classes.dataset];
    const example = options.example ?? await firstTestImage(classes.dataset);
    const input = Float32Array.from(example, (v) => example instanceof Uint8Array ? v / 255 : v);
    const probabilities = tf.tidy(() =>
      (model.predict(tf.tensor2d(input, [1, fit.size ** 2])) as Tensor).dataSync()
    );
    const title = options.example ? "A digit" : "A test image";
    const svg = await renderSvg(predictionFigure({
      pixels: example,
      size: fit.size,
      probabilities,
      classNames: classes.names,
      title: `${title}, as the live canvas shows a drawing`,
    }));
    const { png, density } = await svgToPng(svg, { density: 2 });
    const config: NotebookConfig = {
      checkpoint: options.label ?? checkpoint,
      datasetTitle: classes.title,
      classNames: classes.names,
      fit,
      modelTopology,
      weightSpecs,
      weights: base64(bytes),
    };
    const code = await notebookScript();
    const json = JSON.stringify(config).replace(/</g, "\\u003c");
    const id = await shortHash(code, json, base64(png));
    const alt = unescapeHtml(svg.match(/<title>([^<]*)<\/title>/)?.[1] ?? "A digit");
    const { bundle, metadata: sized } = pngBundle(png, { density, alt });
    const { width, height } = sized["image/png"] as { width: number; height: number };
    const html = `<div class="draw-digit" ${BLOCK_ATTRIBUTE}="${id}">
<div ${FALLBACK_ATTRIBUTE}>
<img src="${pngDataUrl(png)}" width="${width}" height="${height}" alt="${escapeHtml(alt)}">
<p>${FALLBACK_LINE}</p>
</div>
<script>${mountScript(code, await shortHash(code), id, json)}</script>
</div>`;
    return {
      bundle: {
        "text/html": html,
        ...bundle,
        "text/plain": `${alt}. ${FALLBACK_LINE.replace(/<\/?code>/g, "`")}`,
      },
      metadata: sized,
    };
  } finally {
    model.dispose();
  }
}

/**
 * Shows {@linkcode drawDigitOutput}'s output in the notebook (nothing outside Jupyter).
 *
 * @example
 * ```ts ignore
 * // in notebook 05, once the checkpoint is saved
 * await showDrawDigit("../checkpoints/mlp_1", { label: "checkpoints/mlp_1" });
 * ```
 */
export async function showDrawDigit(
  checkpoint: string,
  options: DrawDigitOptions = {},
): Promise<void> {
  const { bundle, metadata } = await drawDigitOutput(checkpoint, options);
  await showOutput(bundle, metadata);
}

/** The first test image of a data set (28×28 bytes). */
async function firstTestImage(dataset: DatasetName): Promise<Uint8Array> {
  const { test } = dataset === "mnist" ? await loadMnist() : await loadFashionMnist();
  return test.images.slice(0, 784);
}

/**
 * The inline script: the bundle runs once per page (kept under a key of its hash `version`, so
 * another version of it runs apart), then mounts block `id`.
 */
function mountScript(code: string, version: string, id: string, json: string): string {
  if (/<\/script|<!--/i.test(code)) {
    throw new Error("drawDigitOutput: the bundled script holds </script or <!--");
  }
  const key = `${MOUNT_GLOBAL}:${version}`;
  return `(()=>{const g=globalThis,k=${JSON.stringify(key)};if(!g[k]){${code}\n` +
    `g[k]=g.${MOUNT_GLOBAL}}g[k](${JSON.stringify(id)},${json})})();`;
}

/** The first 16 hex digits of the SHA-256 of the texts, one after another. */
async function shortHash(...texts: string[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(texts.join("\0")));
  return Array.from(new Uint8Array(digest).subarray(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}
