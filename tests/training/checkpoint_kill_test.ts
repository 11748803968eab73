/**
 * Crash safety of checkpoints: child processes (checkpoint_kill_child.ts) save to one folder and
 * are killed with SIGKILL at each step of a save and at random moments; after every kill the
 * folder must load as one of the saved versions, and the next save must leave no stray file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initBackend } from "../../lib/backend/init.ts";
import type { LayersModel, Tensor } from "../../lib/tf.ts";
import { loadCheckpoint } from "../../lib/training/checkpoint.ts";
import {
  SAVE_STEPS,
  type SaveStep,
  serializeModel,
  writeCheckpoint,
} from "../../lib/training/checkpoint/mod.ts";
import {
  metadataVersion,
  setVersion,
  tinyInputs,
  tinyModel,
  versionValue,
} from "./checkpoint_kill_child.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

await initBackend();

const CHILD = fileURLToPath(new URL("./checkpoint_kill_child.ts", import.meta.url));
const KILLS_PER_STEP = 3;
const RANDOM_KILLS = 60;

/**
 * A running child: its lines on stdout as they come, and how it ended. Disposing of it kills it
 * if it still runs, so that a failed test leaves no child writing to its removed folder.
 */
class Child implements AsyncDisposable {
  readonly process: Deno.ChildProcess;
  readonly #lines: string[] = [];
  #waiting: (() => void) | undefined;
  readonly #stdout: Promise<void>;
  readonly #stderr: Promise<string>;
  #ended = false;

  constructor(args: string[], env: Record<string, string> = {}) {
    const process = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", CHILD, ...args],
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.process = process;
    process.status.then(() => this.#ended = true);
    this.#stdout = (async () => {
      let rest = "";
      for await (const chunk of process.stdout.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        this.#lines.push(...parts);
        this.#waiting?.();
      }
      this.#waiting?.();
    })();
    this.#stderr = new Response(this.process.stderr).text();
  }

  /** The lines so far. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Waits for a line that starts with `prefix`; fails if the child ends first. */
  async waitFor(prefix: string): Promise<void> {
    let ended = false;
    this.process.status.then(() => ended = true);
    while (!this.#lines.some((l) => l.startsWith(prefix))) {
      if (ended) {
        await this.#stdout;
        if (this.#lines.some((l) => l.startsWith(prefix))) return;
        throw new Error(`child ended before "${prefix}": ${await this.#stderr}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiting = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** SIGKILL by pid, then the streams to their end. */
  async kill(): Promise<void> {
    Deno.kill(this.process.pid, "SIGKILL");
    await this.finish();
  }

  /** Kills the child by its pid if it has not ended, then waits for the end and the streams. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#ended) Deno.kill(this.process.pid, "SIGKILL");
    await this.finish();
  }

  /** Waits for the end and the streams. */
  async finish(): Promise<Deno.CommandStatus> {
    const status = await this.process.status;
    await this.#stdout;
    await this.#stderr;
    return status;
  }

  /** The versions the child reported as saved, and their save times in ms. */
  saved(): { version: number; ms: number }[] {
    return this.lines.filter((l) => l.startsWith("saved ")).map((l) => {
      const [, version, ms] = l.split(" ");
      return { version: Number(version), ms: Number(ms) };
    });
  }
}

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
const predictions = (model: LayersModel, x: Tensor) => [...(model.predict(x) as Tensor).dataSync()];

/** Checks that `model` is version `version` in every weight and Adam value. */
async function assertVersion(model: LayersModel, version: number, reference: number[]) {
  for (const weight of model.weights) {
    const values = weight.read().dataSync();
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== versionValue(version, i)) {
        assert.fail(`${weight.name}[${i}] = ${values[i]}: expected version ${version}'s value`);
      }
    }
  }
  const [iterations, ...moments] = await model.optimizer.getWeights();
  assert.equal(iterations.tensor.dataSync()[0], version);
  assert.ok(moments.length > 0);
  for (const { tensor } of moments) {
    const values = [...tensor.dataSync()];
    assert.deepEqual(values, values.map((_, i) => versionValue(version, i)));
  }
  assert.deepEqual(predictions(model, tinyInputs()), reference);
}

Deno.test("checkpoint kill test: SIGKILL at every step of a save and at random moments", async () => {
  const started = performance.now();
  await using tmp = await tempDir("ckpt-kill-");
  const dir = join(tmp.path, "tiny");
  const reference = tinyModel();
  await setVersion(reference, 0);
  const x = tinyInputs();
  const predictionsOf = new Map<number, number[]>();
  const expectedPredictions = async (version: number) => {
    if (!predictionsOf.has(version)) {
      await setVersion(reference, version);
      predictionsOf.set(version, predictions(reference, x));
    }
    return predictionsOf.get(version)!;
  };
  /** Saves `version` in this process, as the next save after a kill. */
  const saveHere = async (version: number) => {
    await setVersion(reference, version);
    const saved = await serializeModel(reference);
    await writeCheckpoint(dir, saved, { metadata: { killTest: { version } } });
  };

  let committed = 1;
  await saveHere(committed);
  const plan: (SaveStep | "random")[] = [];
  for (let i = 0; i < KILLS_PER_STEP; i++) plan.push(...SAVE_STEPS);
  for (let i = 0; i < RANDOM_KILLS; i++) {
    plan.splice(Math.floor(Math.random() * plan.length), 0, "random");
  }
  // Milliseconds of a child's first save (it warms up) and of a later one, as measured.
  let firstSaveMs = 30;
  let laterSaveMs = 10;
  let leftTemporary = 0;
  const savesBeforeRandomKill: number[] = [];

  for (const point of plan) {
    const first = committed + 1;
    await using child = new Child(
      [dir, String(first)],
      point === "random" ? {} : { CHECKPOINT_KILL_STOP: point },
    );
    await child.waitFor("ready");
    if (point === "random") {
      // Anywhere in the first three saves or between them.
      const window = firstSaveMs + 2 * laterSaveMs;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * window));
    } else {
      await child.waitFor(`stopped ${point}`);
    }
    await child.kill();
    const saved = child.saved();
    if (point === "random") {
      savesBeforeRandomKill.push(saved.length);
      if (saved.length > 0) firstSaveMs = 0.8 * firstSaveMs + 0.2 * saved[0].ms;
      for (const { ms } of saved.slice(1)) laterSaveMs = 0.8 * laterSaveMs + 0.2 * ms;
    }
    // The last version the child may have committed: its reported ones, or the one it was in.
    const newest = first + saved.length;
    const oldest = saved.length > 0 ? saved.at(-1)!.version : committed;
    if (names(dir).some((n) => n.startsWith("."))) leftTemporary++;

    const loaded = await loadCheckpoint(dir);
    const version = metadataVersion(loaded);
    assert.ok(version !== undefined, `after a kill at ${point}: model.json lost its version`);
    assert.ok(
      version >= oldest && version <= newest,
      `after a kill at ${point}: version ${version}, expected one in [${oldest}, ${newest}]`,
    );
    if (point !== "random") {
      // The commit is the rename of model.json: before it the old version, from it the new.
      const committedStep = SAVE_STEPS.indexOf(point) >= SAVE_STEPS.indexOf("model:renamed");
      assert.equal(version, committedStep ? first : committed, `a kill at ${point}`);
    }
    await assertVersion(loaded, version, await expectedPredictions(version));
    loaded.optimizer.dispose();
    loaded.dispose();

    committed = newest + 1;
    await saveHere(committed);
    const files = names(dir);
    assert.equal(files.length, 2, `after a kill at ${point} and the next save: ${files}`);
    assert.equal(files[0], "model.json");
    assert.match(files[1], /^weights-[0-9a-f]{16}\.bin$/);
  }

  const seconds = (performance.now() - started) / 1000;
  const kills = plan.length;
  const histogram = [0, 1, 2, 3].map((n) =>
    savesBeforeRandomKill.filter((s) => (n === 3 ? s >= n : s === n)).length
  );
  console.log(
    `checkpoint kill test: ${kills} SIGKILLs, ${KILLS_PER_STEP} at each of the ${SAVE_STEPS.length} ` +
      `steps of a save and ${RANDOM_KILLS} at random moments (after 0, 1, 2, 3+ completed saves: ` +
      `${histogram.join(", ")}); ${leftTemporary} left temporary files; after every kill the ` +
      `folder loaded as a saved version, and the next save left only model.json and its weights; ` +
      `${seconds.toFixed(1)} s`,
  );
  assert.ok(kills >= 100);
  reference.optimizer.dispose();
  reference.dispose();
  x.dispose();
});

Deno.test("two processes saving to one folder at once leave one whole version", async () => {
  await using tmp = await tempDir("ckpt-kill-");
  const dir = join(tmp.path, "tiny");
  await using first = new Child([dir, "1000", "25"]);
  await using second = new Child([dir, "2000", "25"]);
  const children = [first, second];
  const x = tinyInputs();
  const reference = tinyModel();
  await setVersion(reference, 0);
  let loads = 0;
  let running = true;
  const ended = Promise.all(children.map((c) => c.finish())).finally(() => running = false);
  while (running) {
    try {
      const loaded = await loadCheckpoint(dir);
      const version = metadataVersion(loaded)!;
      await setVersion(reference, version);
      await assertVersion(loaded, version, predictions(reference, x));
      loaded.optimizer.dispose();
      loaded.dispose();
      loads++;
    } catch (error) {
      // Before the first commit there is nothing to load yet.
      if (!/, got (none|no file) \(not found\)$/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  for (const status of await ended) assert.equal(status.code, 0);
  const loaded = await loadCheckpoint(dir);
  const version = metadataVersion(loaded)!;
  assert.ok(version === 1024 || version === 2024, `the last version of either: ${version}`);
  await setVersion(reference, version);
  await assertVersion(loaded, version, predictions(reference, x));
  assert.equal(names(dir).length, 2);
  assert.ok(loads > 0);
  x.dispose();
});
