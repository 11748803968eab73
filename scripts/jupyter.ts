/**
 * `deno task jupyter`: opens the notebooks in JupyterLab, or the classic Notebook where Lab is not
 * installed, with the Deno kernel registered; as root too, on 127.0.0.1 only, with a fresh token.
 *
 * {@linkcode startJupyter} is also what the browser test starts its server with.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { output } from "./execute_notebook.ts";
import { setup } from "./setup.ts";

/** Which Jupyter front end serves the notebooks. */
export type JupyterApp = "lab" | "notebook";

/** Options of {@linkcode startJupyter}. */
export interface StartOptions {
  /** Folder the server shows (its root). */
  dir: string;
  /** Front end; default: JupyterLab where installed, else Notebook. */
  app?: JupyterApp;
  /** Port to listen on; default: 8888 if free, else any free port. */
  port?: number;
  /** Extra environment of the server and its kernels. */
  env?: Record<string, string>;
  /** Extra command-line options of the server. */
  args?: string[];
  /** Keep the server's log (for the error when it fails to start) instead of printing it. */
  quiet?: boolean;
}

/** A running Jupyter server on 127.0.0.1. */
export interface JupyterServer {
  /** The front end serving. */
  app: JupyterApp;
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  base: string;
  /** The token every request must carry. */
  token: string;
  /** The URL to open in a browser, token included. */
  url: string;
  /** Process id of the server. */
  pid: number;
  /** Process ids of the server's children: the kernels it started. */
  kernelPids(): Promise<number[]>;
  /** Stops the server and its kernels by their process ids, then waits for them to exit. */
  stop(): Promise<void>;
}

/** Which front end `jupyter` offers here, Lab first; undefined when neither is installed. */
export async function installedApp(): Promise<JupyterApp | undefined> {
  for (const app of ["lab", "notebook"] as const) {
    if (await output("jupyter", [app, "--version"]) !== undefined) return app;
  }
  return undefined;
}

function portFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** The process ids whose parent is `pid`. */
export async function childPids(pid: number): Promise<number[]> {
  if (Deno.build.os !== "linux") {
    return (await output("pgrep", ["-P", `${pid}`]) ?? "").split(/\s+/).filter(Boolean).map(Number);
  }
  const children: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) children.push(Number(entry.name));
    } catch {
      // the process ended while being read
    }
  }
  return children;
}

/** Whether a process with this id is running (and not a zombie). */
export function alive(pid: number): boolean {
  try {
    if (Deno.build.os === "linux") {
      const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    }
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

async function waitFor(test: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return await test();
}

function kill(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts a Jupyter server on 127.0.0.1 with a random token (`--allow-root` when run as root) and
 * resolves once it answers; throws with the server's log when it exits or stays silent for 60 s.
 *
 * @example
 * ```ts
 * const server = await startJupyter({ dir: "notebooks" });
 * console.log(server.url); // http://127.0.0.1:8888/?token=…
 * await server.stop();
 * ```
 */
export async function startJupyter(opts: StartOptions): Promise<JupyterServer> {
  const app = opts.app ?? await installedApp();
  if (app === undefined) throw new Error("Neither JupyterLab nor Jupyter Notebook is installed");
  const port = opts.port ?? (portFree(8888) ? 8888 : freePort());
  const token = [...crypto.getRandomValues(new Uint8Array(24))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const headless = Deno.build.os === "linux" && !Deno.env.get("DISPLAY") &&
    !Deno.env.get("WAYLAND_DISPLAY");
  const args = [
    app,
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    ...(Deno.uid() === 0 ? ["--allow-root"] : []),
    ...(headless || opts.quiet ? ["--no-browser"] : []),
    ...(opts.args ?? []),
  ];
  const child = new Deno.Command("jupyter", {
    args,
    cwd: opts.dir,
    env: { ...opts.env, JUPYTER_TOKEN: token },
    stdin: "null",
    stdout: opts.quiet ? "piped" : "inherit",
    stderr: opts.quiet ? "piped" : "inherit",
  }).spawn();
  let log = "";
  const keep = async (stream: ReadableStream<Uint8Array> | null) => {
    if (stream === null) return;
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      log = (log + decoder.decode(chunk, { stream: true })).slice(-20_000);
    }
  };
  const drained = Promise.all([
    keep(opts.quiet ? child.stdout : null),
    keep(opts.quiet ? child.stderr : null),
  ]);
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const base = `http://127.0.0.1:${port}`;
  const server: JupyterServer = {
    app,
    base,
    token,
    url: `${base}/${app === "lab" ? "lab" : "tree"}?token=${token}`,
    pid: child.pid,
    kernelPids: () => childPids(child.pid),
    async stop() {
      const kernels = await childPids(child.pid);
      kill(child.pid, "SIGTERM");
      for (const pid of kernels) kill(pid, "SIGTERM");
      const ended = await waitFor(() => exited && kernels.every((pid) => !alive(pid)), 10_000);
      if (!ended) {
        kill(child.pid, "SIGKILL");
        for (const pid of kernels) kill(pid, "SIGKILL");
      }
      await status;
      await drained;
    },
  };
  const answers = async () => {
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  };
  if (!await waitFor(async () => exited || await answers(), 60_000) || exited) {
    await server.stop();
    throw new Error(
      `jupyter ${app} did not start on ${base}:\n${log.split("\n").slice(-20).join("\n")}`,
    );
  }
  return server;
}

if (import.meta.main) {
  try {
    await setup("jupyter");
    const notebooks = fileURLToPath(new URL("../notebooks/", import.meta.url));
    const server = await startJupyter({ dir: notebooks });
    const name = server.app === "lab" ? "JupyterLab" : "Jupyter Notebook";
    console.log(`\n${name} is serving the notebooks at\n\n    ${server.url}\n\nCtrl+C stops it.\n`);
    const stop = async () => {
      await server.stop();
      Deno.exit(0);
    };
    Deno.addSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}
