/**
 * Running a notebook headless with Jupyter's own executor, and reading a command's output.
 *
 * @module
 */

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
