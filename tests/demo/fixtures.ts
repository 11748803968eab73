/**
 * What the demo's tests share: `deno task demo` started as a process on a free port and stopped
 * by its id, small checkpoint folders, raw HTTP requests that keep `../` in the path, and a small
 * model trained to serve.
 */
import {
  buildMlp,
  initBackend,
  loadDataset,
  type Split,
  type Tensor,
  tf,
  toTensors,
  train,
} from "../../lib/mod.ts";
import type { LayersModel } from "../../lib/tf.ts";
import { alive } from "../../scripts/jupyter.ts";
import { ROOT } from "../fixtures/root.ts";

/**
 * A model trained on 6,000 MNIST images for 2 epochs (seed 42; a few seconds), and the first
 * `testLimit` test images.
 */
export async function trainSmallModel(
  testLimit: number,
): Promise<{ model: LayersModel; test: Split }> {
  await initBackend();
  const data = await loadDataset({ dataset: "mnist", trainLimit: 6000, testLimit });
  const { x, y } = toTensors(data.train);
  const model = buildMlp({ seed: 42 });
  await train(model, x, y, { epochs: 2, batchSize: 64, seed: 42 });
  tf.dispose([x, y]);
  return { model, test: data.test };
}

/** Each row's most probable class, for rows of `inputs` (N×784 values in [0, 1]). */
export function predict(
  model: LayersModel,
  inputs: number[][],
): { classes: number[]; probs: number[][] } {
  const probs = tf.tidy(() => (model.predict(tf.tensor2d(inputs)) as Tensor).arraySync());
  return { classes: (probs as number[][]).map(argmax), probs: probs as number[][] };
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** A running `demo/main.ts` process. */
export interface DemoProcess {
  /** The page's URL, as the process printed it. */
  url: string;
  /** Its port. */
  port: number;
  /** Process id. */
  pid: number;
  /** What it printed so far, stdout and stderr together. */
  log(): string;
  /** Stops it with SIGTERM (SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `deno run --allow-all demo/main.ts --port 0 ...args` and resolves once it printed its
 * URL; throws with its output when it exits first or stays silent for 60 s.
 */
export async function startDemoProcess(args: string[]): Promise<DemoProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${ROOT}demo/main.ts`, "--port", "0", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let log = "";
  const keep = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) log += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([keep(child.stdout), keep(child.stderr)]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async () => {
    if (!exited) {
      Deno.kill(child.pid, "SIGTERM");
      const timer = setTimeout(() => !exited && Deno.kill(child.pid, "SIGKILL"), 10_000);
      await status;
      clearTimeout(timer);
    }
    await drained;
  };
  const end = Date.now() + 60_000;
  let match;
  while (!(match = log.match(/http:\/\/127\.0\.0\.1:(\d+)\//))) {
    if (exited || Date.now() > end) {
      await stop();
      throw new Error(`demo/main.ts ${args.join(" ")} did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: match[0],
    port: Number(match[1]),
    pid: child.pid,
    log: () => log,
    async stop() {
      await stop();
      if (alive(child.pid)) throw new Error(`demo process ${child.pid} still running`);
    },
  };
}

/** An HTTP response as raw text: its status code, headers (lower-case names) and body. */
export interface RawResponse {
  /** Status code. */
  status: number;
  /** Header values by lower-case name. */
  headers: Record<string, string>;
  /** The body as text. */
  body: string;
}

/**
 * Sends `METHOD path` over a plain TCP connection to 127.0.0.1:port, so that the path reaches
 * the server exactly as written (fetch would resolve `../` first).
 */
export async function rawRequest(
  port: number,
  path: string,
  { method = "GET", host = `127.0.0.1:${port}` } = {},
): Promise<RawResponse> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  const request = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
  await connection.write(new TextEncoder().encode(request));
  const chunks: Uint8Array[] = [];
  for await (const chunk of connection.readable) chunks.push(chunk);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
  const text = new TextDecoder().decode(bytes);
  const [head, ...rest] = text.split("\r\n\r\n");
  const [statusLine, ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(lines.map((line) => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  }));
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

/** The page config embedded in a page's HTML. */
export function embeddedConfig(html: string): Record<string, unknown> {
  const match = html.match(/<script id="demo-config" type="application\/json">(.*?)<\/script>/s);
  if (!match) throw new Error("no demo-config in the page");
  return JSON.parse(match[1]);
}
