/**
 * The demo's HTTP server on 127.0.0.1: the page, its bundled script, and the chosen checkpoint's
 * model.json and the weight files its manifest names — nothing else from the disk. Every other
 * path (`../` ones, encoded or not, included) is a 404; requests naming another host are refused.
 *
 * @module
 */
import type { DatasetName } from "../lib/config.ts";
import { MODEL_FILE } from "../lib/training/checkpoint/format.ts";
import {
  type CheckpointState,
  inspectCheckpoint,
  noCheckpointMessage,
  weightFilePath,
} from "./checkpoint.ts";
import { chooseClasses, DATASETS } from "./classes.ts";
import { PAGE_CSP, pageHtml } from "./page.ts";
import { CHECKPOINT_PREFIX, type PageConfig, SCRIPT_PATH } from "./page_config.ts";

/** The port the demo listens on when it is free and none is asked for (28 for 28×28). */
export const DEFAULT_PORT = 8028;

/** Options of {@linkcode startDemoServer}. */
export interface DemoServerOptions {
  /** The checkpoint folder on disk. */
  checkpoint: string;
  /** The folder as the page and terminal name it (default: `checkpoint`). */
  checkpointLabel?: string;
  /** The page's bundled script (JavaScript source). */
  script: string;
  /** Port; default {@linkcode DEFAULT_PORT} where free, else any free port; 0: any free port. */
  port?: number;
  /** The `--dataset` flag: class names and recipe regardless of the checkpoint's metadata. */
  dataset?: DatasetName;
  /** `MLP_DATASET`, when set: the data set when the checkpoint does not say. */
  envDataset?: DatasetName;
  /** Called at each request of the page with the checkpoint's state and the page's config. */
  onPage?: (state: CheckpointState, config: PageConfig) => void;
}

/** A running demo server. */
export interface DemoServer {
  /** `http://127.0.0.1:PORT/`, the page's URL. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Stops listening and waits for open requests to finish. */
  shutdown(): Promise<void>;
}

/**
 * The page's config for a checkpoint in `state`: where to load the model from, or the message
 * saying there is none, with the class names and preprocessing recipe chosen for it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inspectCheckpoint } from "./checkpoint.ts";
 *
 * const dir = "/nonexistent/mlp_1";
 * const config = pageConfig(await inspectCheckpoint(dir), { checkpoint: dir, script: "" });
 * assert.equal(config.modelUrl, undefined);
 * assert.match(config.problem!, /there is no checkpoint folder \/nonexistent\/mlp_1/);
 * ```
 */
export function pageConfig(state: CheckpointState, options: DemoServerOptions): PageConfig {
  const classes = chooseClasses({
    flag: options.dataset,
    metadata: state.ready ? state.metadata : undefined,
    env: options.envDataset,
  });
  return {
    checkpoint: options.checkpointLabel ?? options.checkpoint,
    ...(state.ready
      ? { modelUrl: `${CHECKPOINT_PREFIX.slice(1)}${MODEL_FILE}` }
      : { problem: noCheckpointMessage(state.problem) }),
    datasetTitle: classes.title,
    classNames: classes.names,
    classSource: classes.source,
    fit: DATASETS[classes.dataset].fit,
  };
}

const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

function respond(body: BodyInit | null, status: number, type: string, extra = {}): Response {
  return new Response(body, {
    status,
    headers: { ...COMMON_HEADERS, "content-type": type, ...extra },
  });
}

const notFound = () => respond("Not found\n", 404, "text/plain; charset=utf-8");

function listen(port: number, handler: Deno.ServeHandler): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, handler);
}

/**
 * Serves the demo on 127.0.0.1 (see the module's doc for what it serves) and returns once it
 * listens.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const server = startDemoServer({ checkpoint: "checkpoints/mlp_1", script: "", port: 0 });
 * assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/); // 8028 without `port`, where free
 * const response = await fetch(`${server.url}deno.json`);
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await server.shutdown();
 * ```
 */
export function startDemoServer(options: DemoServerOptions): DemoServer {
  const dir = options.checkpoint;
  let port = 0;

  async function handle(request: Request): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return respond("Method not allowed\n", 405, "text/plain; charset=utf-8", {
        allow: "GET, HEAD",
      });
    }
    const host = request.headers.get("host");
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return respond("Wrong host\n", 403, "text/plain; charset=utf-8");
    }
    // Only exact paths are served; "..", "%2e%2e" and anything encoded match none of them.
    const path = new URL(request.url).pathname;
    if (path === "/") {
      const state = await inspectCheckpoint(dir);
      const config = pageConfig(state, options);
      options.onPage?.(state, config);
      return respond(pageHtml(config), 200, "text/html; charset=utf-8", {
        "content-security-policy": PAGE_CSP,
      });
    }
    if (path === SCRIPT_PATH) return respond(options.script, 200, "text/javascript; charset=utf-8");
    if (!path.startsWith(CHECKPOINT_PREFIX)) return notFound();
    const name = path.slice(CHECKPOINT_PREFIX.length);
    const state = await inspectCheckpoint(dir);
    if (!state.ready) return notFound();
    if (name === MODEL_FILE) {
      return respond(await Deno.readFile(`${dir}/${MODEL_FILE}`), 200, "application/json");
    }
    if (!state.weightFiles.includes(name)) return notFound();
    const file = await weightFilePath(dir, name);
    if (!file) return notFound();
    return respond(await Deno.readFile(file), 200, "application/octet-stream");
  }

  const handler = (request: Request) =>
    handle(request).catch((error: Error) =>
      respond(`${error.message}\n`, 500, "text/plain; charset=utf-8")
    );
  let server: Deno.HttpServer<Deno.NetAddr>;
  if (options.port !== undefined) {
    server = listen(options.port, handler);
  } else {
    try {
      server = listen(DEFAULT_PORT, handler);
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      server = listen(0, handler);
    }
  }
  port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    shutdown: () => server.shutdown(),
  };
}
