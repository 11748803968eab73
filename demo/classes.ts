/**
 * Which class names a checkpoint's outputs have, MNIST's digits or Fashion-MNIST's clothes, and
 * so which preprocessing recipe suits it. A checkpoint says so in model.json's
 * `userDefinedMetadata` (`{ "dataset": "fashion-mnist" }`, or `{ "classNames": [...] }`), which
 * tfjs saves from `model.setUserDefinedMetadata(...)`; without it the `--dataset` flag or
 * `MLP_DATASET` (the variable the notebooks train by) decides, and MNIST is the default.
 *
 * @module
 */
import type { DatasetName } from "../lib/config.ts";
import { FASHION_MNIST_CLASS_NAMES } from "../lib/data/mnist.ts";
import { FASHION_MNIST_FIT, type Fit, MNIST_FIT } from "./preprocess.ts";

/** MNIST's class names: the digits "0" to "9". */
const DIGITS: readonly string[] = Object.freeze(Array.from({ length: 10 }, (_, i) => `${i}`));

/** The data sets the demo knows, by the names `MLP_DATASET` takes. */
export const DATASETS: Readonly<
  Record<DatasetName, { title: string; names: readonly string[]; fit: Fit }>
> = {
  "mnist": { title: "MNIST", names: DIGITS, fit: MNIST_FIT },
  "fashion-mnist": {
    title: "Fashion-MNIST",
    names: FASHION_MNIST_CLASS_NAMES,
    fit: FASHION_MNIST_FIT,
  },
};

/** The classes chosen for a checkpoint, and why. */
export interface Classes {
  /** The data set whose preprocessing recipe the page uses. */
  dataset: DatasetName;
  /** "MNIST" or "Fashion-MNIST". */
  title: string;
  /** Name of each class, by output index. */
  names: string[];
  /** Where the choice came from, in words. */
  source: string;
}

/** Whether `name` is a data set the demo knows. */
export function isDatasetName(name: unknown): name is DatasetName {
  return typeof name === "string" && Object.hasOwn(DATASETS, name);
}

/**
 * Chooses the class names: the `--dataset` flag first, then model.json's metadata (its
 * `classNames`, or its `dataset`'s), then `MLP_DATASET` (`env`, when set), then MNIST's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const classes = chooseClasses({ metadata: { dataset: "fashion-mnist" } });
 * assert.equal(classes.names[0], "T-shirt/top");
 * assert.equal(classes.source, "model.json's metadata");
 * ```
 */
export function chooseClasses(from: {
  flag?: DatasetName;
  metadata?: Record<string, unknown>;
  env?: DatasetName;
}): Classes {
  const { flag, metadata, env } = from;
  const [dataset, source]: [DatasetName, string] = flag
    ? [flag, "--dataset"]
    : isDatasetName(metadata?.dataset)
    ? [metadata.dataset, "model.json's metadata"]
    : env
    ? [env, "MLP_DATASET"]
    : ["mnist", "the default"];
  const names = metadata?.classNames;
  const named = Array.isArray(names) && names.length > 0 &&
    names.every((n) => typeof n === "string");
  if (!flag && named) {
    return { dataset, title: DATASETS[dataset].title, names, source: "model.json's metadata" };
  }
  return { dataset, title: DATASETS[dataset].title, names: [...DATASETS[dataset].names], source };
}
