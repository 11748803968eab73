/**
 * What the server tells the page about the checkpoint it serves: embedded in the page as JSON,
 * read by the page's script. Types only, shared by the server (Deno) and the page (browser).
 *
 * @module
 */
import type { Fit } from "./preprocess.ts";

/** The page's settings, as the server found the checkpoint when the page was requested. */
export interface PageConfig {
  /** The checkpoint folder, as the person named it (or the default, checkpoints/mlp_1). */
  checkpoint: string;
  /** URL of the checkpoint's model.json, relative to the page; absent when there is none. */
  modelUrl?: string;
  /** Why there is no model to load, and what makes one; absent when there is a checkpoint. */
  problem?: string;
  /** The data set the class names are of: "MNIST" or "Fashion-MNIST". */
  datasetTitle: string;
  /** Name of each class, by the model's output index (ten). */
  classNames: string[];
  /** Where the class names came from, in words (a flag, model.json, MLP_DATASET, the default). */
  classSource: string;
  /** How a drawing becomes the model's input (MNIST's or Fashion-MNIST's recipe). */
  fit: Fit;
}

/** The id of the `<script type="application/json">` element that holds the page's config. */
export const CONFIG_ELEMENT_ID = "demo-config";

/** Path of the page's bundled script on the server. */
export const SCRIPT_PATH = "/demo.js";

/** Path prefix under which the server serves the checkpoint's files. */
export const CHECKPOINT_PREFIX = "/checkpoint/";
