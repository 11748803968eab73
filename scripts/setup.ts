/**
 * `deno task setup [notebooks|jupyter|test]`: installs what this machine lacks for a purpose, with
 * the system's package manager when it may (root, `sudo` without a password, or Homebrew), and
 * registers the Deno kernel with Jupyter. When it may not install, it changes nothing and prints
 * the one command that would.
 *
 * `deno task reproduce`, `deno task jupyter` and `deno task test` run it first.
 *
 * @module
 */
import { findBlasLibrary } from "@mnist-mlp/tfjs-backend-blas";
import { loadBlasOptions } from "../lib/config.ts";
import { output } from "./execute_notebook.ts";

/** What the machine is being set up for. */
export type Purpose = "notebooks" | "jupyter" | "test";

/** One thing a purpose needs, how to tell it is there, and the packages that provide it. */
interface Requirement {
  /** What it is, for messages. */
  what: string;
  /** Whether this machine already has it. */
  present: () => Promise<boolean>;
  /** Debian/Ubuntu packages that provide it. */
  apt: string[];
  /** Homebrew formulas that provide it (none: nothing to install on macOS). */
  brew: string[];
}

const isMac = Deno.build.os === "darwin";

async function runs(cmd: string, ...args: string[]): Promise<boolean> {
  return await output(cmd, args) !== undefined;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

const EXECUTOR: Requirement = {
  what: "Jupyter's notebook executor and kernel client",
  present: async () =>
    await runs("jupyter", "nbconvert", "--version") &&
    await runs("jupyter", "kernelspec", "--version"),
  apt: ["jupyter-nbconvert", "jupyter-client", "python3-ipykernel"],
  brew: ["jupyterlab"],
};

/** A BLAS that is not an OpenMP build (see BLAS_CANDIDATES in packages/tfjs-backend-blas). */
function blasFound(): boolean {
  const library = findBlasLibrary(loadBlasOptions());
  if (library === undefined) return false;
  try {
    return !Deno.realPathSync(library).includes("openmp");
  } catch {
    return true;
  }
}

const BLAS: Requirement = {
  what: "OpenBLAS (pthread build), for the fast blas backend",
  present: () => Promise.resolve(blasFound()),
  apt: ["libopenblas0-pthread"],
  brew: [],
};

const NOTEBOOK_APP: Requirement = {
  what: "JupyterLab or Jupyter Notebook",
  present: async () =>
    await runs("jupyter", "lab", "--version") || await runs("jupyter", "notebook", "--version"),
  apt: ["jupyter-notebook"],
  brew: ["jupyterlab"],
};

/** The classic Notebook specifically: the browser test drives its page. */
const CLASSIC_NOTEBOOK: Requirement = {
  ...NOTEBOOK_APP,
  what: "Jupyter Notebook, for the browser test",
  present: () => runs("jupyter", "notebook", "--version"),
};

const FASHION: Requirement = {
  what: "Fashion-MNIST, for the loader and notebook tests",
  present: () => Promise.resolve(exists("/usr/share/datasets/fashion-mnist")),
  apt: ["dataset-fashion-mnist"],
  brew: [],
};

/** Where the browser test looks for Chromium, in order. */
export const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

const CHROMIUM: Requirement = {
  what: "Chromium, for the browser test",
  present: () => Promise.resolve(CHROMIUM_PATHS.some(exists)),
  apt: ["chromium"],
  brew: [],
};

const REQUIREMENTS: Record<Purpose, Requirement[]> = {
  notebooks: [EXECUTOR, BLAS],
  jupyter: [EXECUTOR, BLAS, NOTEBOOK_APP],
  test: [EXECUTOR, BLAS, FASHION, CLASSIC_NOTEBOOK, CHROMIUM],
};

/** The requirements of `purpose` that this machine lacks. */
async function missing(purpose: Purpose): Promise<Requirement[]> {
  const lacking = [];
  for (const requirement of REQUIREMENTS[purpose]) {
    if (!await requirement.present()) lacking.push(requirement);
  }
  return lacking;
}

/** A way to install packages: the commands to run, and whether this process may run them. */
interface Installer {
  commands: string[][];
  allowed: boolean;
}

async function installer(lacking: Requirement[]): Promise<Installer | undefined> {
  if (isMac) {
    const formulas = [...new Set(lacking.flatMap((r) => r.brew))];
    return {
      commands: [["brew", "install", ...formulas]],
      allowed: await runs("brew", "--version"),
    };
  }
  const packages = [...new Set(lacking.flatMap((r) => r.apt))];
  if (!await runs("apt-get", "--version")) return undefined;
  const root = Deno.uid() === 0;
  const sudo = root ? [] : ["sudo", "-n"];
  return {
    commands: [
      [...sudo, "apt-get", "update"],
      [...sudo, "apt-get", "install", "-y", ...packages],
    ],
    allowed: root || await runs("sudo", "-n", "true"),
  };
}

/** The commands as one line a person can paste (with `sudo` where they need it). */
function shellLine(commands: string[][]): string {
  return commands.map((c) => (c[0] === "sudo" ? ["sudo", ...c.slice(2)] : c).join(" ")).join(
    " && ",
  );
}

/** Whether Jupyter's `deno` kernel is registered with a Deno executable that runs. */
async function denoKernelRegistered(): Promise<boolean> {
  const specs = await output("jupyter", ["kernelspec", "list", "--json"]);
  const argv: string[] | undefined = specs && JSON.parse(specs).kernelspecs?.deno?.spec?.argv;
  return argv !== undefined && await runs(argv[0], "--version");
}

async function run(command: string[]): Promise<void> {
  console.log(`$ ${command.join(" ")}`);
  const { success } = await new Deno.Command(command[0], {
    args: command.slice(1),
    env: { DEBIAN_FRONTEND: "noninteractive" },
  }).spawn().status;
  if (!success) throw new Error(`setup: \`${command.join(" ")}\` failed`);
}

/** Options of {@linkcode setup}. */
export interface SetupOptions {
  /** Install what is missing when allowed (default true); false only checks. */
  install?: boolean;
}

/**
 * Installs what `purpose` needs and registers the Deno kernel; throws, with the one command that
 * would install it, when this process may not install (and then changes nothing).
 *
 * @example
 * ```ts
 * await setup("notebooks"); // Jupyter's executor, OpenBLAS and the Deno kernel
 * ```
 */
export async function setup(purpose: Purpose, opts: SetupOptions = {}): Promise<void> {
  const lacking = await missing(purpose);
  const platform = isMac ? "brew" : "apt";
  const unpackaged = lacking.filter((r) => r[platform].length === 0);
  for (const r of unpackaged) console.warn(`setup: this machine lacks ${r.what}; no package here.`);
  const installable = lacking.filter((r) => r[platform].length > 0);
  if (installable.length > 0) {
    const needed = installable.map((r) => r.what).join("; ");
    const plan = await installer(installable);
    if (plan === undefined) {
      throw new Error(`This machine lacks ${needed}, and no apt-get or Homebrew was found.`);
    }
    if (opts.install === false || !plan.allowed) {
      throw new Error(
        `This machine lacks ${needed}.\nInstall it with:\n  ${shellLine(plan.commands)}`,
      );
    }
    console.log(`Installing ${needed}:`);
    for (const command of plan.commands) await run(command);
  }
  if (await denoKernelRegistered()) return;
  if (opts.install === false) {
    throw new Error("The Deno kernel is not registered with Jupyter: deno jupyter --install");
  }
  await run([Deno.execPath(), "jupyter", "--install", "--force"]);
}

if (import.meta.main) {
  const purpose = (Deno.args[0] ?? "notebooks") as Purpose;
  if (!(purpose in REQUIREMENTS)) {
    console.error(`setup: unknown purpose "${purpose}", expected notebooks, jupyter or test`);
    Deno.exit(2);
  }
  try {
    await setup(purpose);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}
