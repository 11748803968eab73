/**
 * Finding Jupyter and registering the Deno kernel, for the reproduce and jupyter tasks.
 *
 * @module
 */

/** The commands that install what `jupyter nbconvert --execute` needs, on Debian/Ubuntu. */
export const JUPYTER_INSTALL_HINT =
  "Install Jupyter with:\n  sudo apt-get install -y jupyter-nbconvert jupyter-client python3-ipykernel\n" +
  "or, with pip:\n  pip install nbconvert nbclient ipykernel";

/** The stdout of a command, or undefined when it is missing or fails. */
export async function output(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const { success, stdout } = await new Deno.Command(cmd, { args, stderr: "null" }).output();
    return success ? new TextDecoder().decode(stdout) : undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Checks that `jupyter nbconvert` runs and that the Deno kernel is registered, registering it
 * with `deno jupyter --install` when missing; throws with the install commands when Jupyter is
 * missing.
 */
export async function ensureJupyterWithDenoKernel(): Promise<void> {
  if (await output("jupyter", ["nbconvert", "--version"]) === undefined) {
    throw new Error(`jupyter nbconvert was not found.\n${JUPYTER_INSTALL_HINT}`);
  }
  const specs = await output("jupyter", ["kernelspec", "list", "--json"]);
  if (specs && JSON.parse(specs).kernelspecs?.deno) return;
  console.log("Registering the Deno kernel: deno jupyter --install");
  const { success } = await new Deno.Command(Deno.execPath(), { args: ["jupyter", "--install"] })
    .spawn().status;
  if (!success) throw new Error("deno jupyter --install failed");
}

/**
 * Executes a notebook with Jupyter's own executor (nbconvert): in place, or into `outputDir`.
 *
 * Throws, naming the notebook, when a cell fails.
 */
export async function executeNotebook(
  path: string,
  options: { outputDir?: string; env?: Record<string, string>; quiet?: boolean } = {},
): Promise<void> {
  const target = options.outputDir ? ["--output-dir", options.outputDir] : ["--inplace"];
  const command = new Deno.Command("jupyter", {
    args: [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.timeout=-1",
      "--ExecutePreprocessor.kernel_name=deno",
      ...target,
      path,
    ],
    env: options.env,
    stdout: options.quiet ? "piped" : "inherit",
    stderr: options.quiet ? "piped" : "inherit",
  });
  const result = await command.output();
  if (!result.success) {
    const log = options.quiet ? new TextDecoder().decode(result.stderr) : "";
    throw new Error(`${path}: execution failed\n${log.split("\n").slice(-30).join("\n")}`);
  }
}
