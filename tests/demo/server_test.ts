/**
 * The demo's server without a browser: it serves the page, its script and the checkpoint's
 * files and nothing else (`../` paths, encoded or not, other files, links out of the folder),
 * says when there is no checkpoint and which notebook makes one, and picks the class names.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { inspectCheckpoint, isServableName } from "../../demo/checkpoint.ts";
import { chooseClasses } from "../../demo/classes.ts";
import { FASHION_MNIST_FIT, MNIST_FIT } from "../../demo/preprocess.ts";
import { type DemoServer, pageConfig, startDemoServer } from "../../demo/server.ts";
import { embeddedConfig, rawRequest, startDemoProcess } from "./fixtures.ts";
import { ROOT } from "../fixtures/root.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

const SCRIPT = "console.log('the page script');";
const SECRET = "secret beside the checkpoint";
const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/**
 * A temp folder `root` holding secret.txt and a checkpoint folder `dir` (`mlp`) with model.json
 * and weights.bin; disposing of it (`await using`) removes it.
 */
async function fakeCheckpoint(
  manifestPaths: string[] = ["weights.bin"],
  metadata?: Record<string, unknown>,
): Promise<AsyncDisposable & { root: string; dir: string }> {
  const tmp = await tempDir("demo-server-test-");
  const root = tmp.path;
  const dir = join(root, "mlp");
  try {
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(root, "secret.txt"), SECRET);
    await Deno.writeTextFile(join(dir, "weights.bin"), "WEIGHTS");
    await Deno.writeTextFile(join(dir, "other.bin"), SECRET);
    await Deno.writeTextFile(
      join(dir, "model.json"),
      JSON.stringify({
        modelTopology: { class_name: "Sequential", config: { layers: [] } },
        weightsManifest: [{ paths: manifestPaths, weights: [] }],
        ...(metadata ? { userDefinedMetadata: metadata } : {}),
      }),
    );
  } catch (error) {
    await tmp[Symbol.asyncDispose]();
    throw error;
  }
  return { root, dir, [Symbol.asyncDispose]: () => tmp[Symbol.asyncDispose]() };
}

async function withServer(
  dir: string,
  fn: (server: DemoServer) => Promise<void>,
  options: Partial<Parameters<typeof startDemoServer>[0]> = {},
) {
  const server = startDemoServer({ checkpoint: dir, script: SCRIPT, port: 0, ...options });
  try {
    await fn(server);
  } finally {
    await server.shutdown();
  }
}

Deno.test("the demo serves its page, its script and the checkpoint's model.json and weights", async () => {
  await using checkpoint = await fakeCheckpoint();
  const { dir } = checkpoint;
  await withServer(dir, async ({ port, url }) => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await rawRequest(port, "/");
    assert.equal(page.status, 200);
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.match(page.headers["content-security-policy"], /default-src 'none'; script-src 'self'/);
    const config = embeddedConfig(page.body);
    assert.equal(config.modelUrl, "checkpoint/model.json");
    assert.deepEqual(config.classNames, DIGITS);
    assert.deepEqual(config.fit, MNIST_FIT);
    assert.equal(config.problem, undefined);
    assert.match(page.body, /<script type="module" src="\/demo.js"><\/script>/);
    assert.match(page.body, /<p id="notice" class="notice" role="alert" hidden><\/p>/);

    const script = await rawRequest(port, "/demo.js");
    assert.equal(script.status, 200);
    assert.equal(script.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(script.body, SCRIPT);
    const model = await rawRequest(port, "/checkpoint/model.json");
    assert.equal(model.body, await Deno.readTextFile(join(dir, "model.json")));
    assert.equal((await rawRequest(port, "/checkpoint/weights.bin")).body, "WEIGHTS");
    const head = await rawRequest(port, "/demo.js", { method: "HEAD" });
    assert.deepEqual([head.status, head.body], [200, ""]);
  });
});

Deno.test("the demo refuses ../ paths, encoded or not, other files and other hosts", async () => {
  await using checkpoint = await fakeCheckpoint();
  const { root, dir } = checkpoint;
  await withServer(dir, async ({ port }) => {
    const refused = [
      "/checkpoint/../secret.txt",
      "/checkpoint/%2e%2e/secret.txt",
      "/checkpoint/%2E%2E/secret.txt",
      "/checkpoint/..%2fsecret.txt",
      "/checkpoint/..%2Fsecret.txt",
      "/checkpoint/%2e%2e%2fsecret.txt",
      "/checkpoint/..%5csecret.txt",
      "/checkpoint/weights.bin/../../secret.txt",
      "/checkpoint/./../secret.txt",
      "/checkpoint//../secret.txt",
      `/checkpoint/${root}/secret.txt`,
      "/checkpoint/other.bin",
      "/checkpoint/",
      "/checkpoint",
      "/checkpoint/weights.bin%00",
      "/../deno.json",
      "/%2e%2e/deno.json",
      "/deno.json",
      "/README.md",
      "/demo/main.ts",
      "/demo/browser/main.ts",
      "/index.html",
      "/etc/passwd",
    ];
    for (const path of refused) {
      const response = await rawRequest(port, path);
      assert.equal(response.status, 404, `${path}: ${response.status}`);
      assert.ok(!response.body.includes(SECRET), `${path} gave the secret`);
    }
    const post = await rawRequest(port, "/", { method: "POST" });
    assert.deepEqual([post.status, post.headers.allow], [405, "GET, HEAD"]);
    const otherHost = await rawRequest(port, "/checkpoint/model.json", { host: "evil.example" });
    assert.equal(otherHost.status, 403);
  });
});

Deno.test("the demo serves no weight file that leaves the checkpoint folder", async () => {
  assert.ok(isServableName("weights.bin") && isServableName("group1-shard1of2.bin"));
  for (
    const name of ["../secret.txt", "/etc/passwd", "a/../../b", ".", "..", "a b", "%2e%2e", ""]
  ) {
    assert.ok(!isServableName(name), name);
  }
  await using outside = await fakeCheckpoint(["../secret.txt"]);
  const state = await inspectCheckpoint(outside.dir);
  assert.ok(!state.ready && state.problem.includes(`names the weight file "../secret.txt"`));
  await withServer(outside.dir, async ({ port }) => {
    const config = embeddedConfig((await rawRequest(port, "/")).body);
    assert.match(String(config.problem), /names the weight file "\.\.\/secret\.txt"/);
    for (const path of ["/checkpoint/../secret.txt", "/checkpoint/..%2fsecret.txt"]) {
      assert.equal((await rawRequest(port, path)).status, 404, path);
    }
  });
  // A link inside the folder that points out of it is not served either.
  await using linked = await fakeCheckpoint(["link.bin"]);
  await Deno.symlink(join(linked.root, "secret.txt"), join(linked.dir, "link.bin"));
  const linkState = await inspectCheckpoint(linked.dir);
  assert.ok(!linkState.ready && linkState.problem.includes("link.bin"));
  await withServer(linked.dir, async ({ port }) => {
    assert.equal((await rawRequest(port, "/checkpoint/link.bin")).status, 404);
  });
});

Deno.test("without a checkpoint the page says so and names notebook 05, which makes one", async () => {
  await using tmp = await tempDir("demo-server-test-");
  const root = tmp.path;
  const cases: [string, () => Promise<void>, RegExp][] = [
    ["missing", async () => {}, /there is no checkpoint folder .*missing/],
    ["empty", () => Deno.mkdir(join(root, "empty")), /the folder .*empty holds no model\.json/],
    ["corrupt", async () => {
      await Deno.mkdir(join(root, "corrupt"));
      await Deno.writeTextFile(join(root, "corrupt", "model.json"), "{not json");
    }, /corrupt\/model\.json: .*JSON/],
  ];
  for (const [name, make, problem] of cases) {
    await make();
    const dir = join(root, name);
    await withServer(dir, async ({ port }) => {
      const page = await rawRequest(port, "/");
      const config = embeddedConfig(page.body);
      assert.equal(config.modelUrl, undefined);
      assert.match(String(config.problem), problem);
      assert.match(String(config.problem), /Notebook 05 \(notebooks\/05_train\.ipynb\) trains/);
      assert.match(page.body, /<p id="notice" class="notice" role="alert">No checkpoint to load/);
      assert.equal((await rawRequest(port, "/checkpoint/model.json")).status, 404);
    }, { checkpointLabel: name });
  }
});

Deno.test("class names: --dataset, then model.json's metadata, then MLP_DATASET, then MNIST's", async () => {
  const fashion = chooseClasses({ metadata: { dataset: "fashion-mnist" } });
  assert.deepEqual([fashion.title, fashion.names[0], fashion.names[9]], [
    "Fashion-MNIST",
    "T-shirt/top",
    "Ankle boot",
  ]);
  assert.equal(fashion.source, "model.json's metadata");
  assert.equal(
    chooseClasses({ flag: "mnist", metadata: { dataset: "fashion-mnist" } }).title,
    "MNIST",
  );
  assert.equal(chooseClasses({ env: "fashion-mnist" }).source, "MLP_DATASET");
  assert.equal(
    chooseClasses({ metadata: { dataset: "mnist" }, env: "fashion-mnist" }).title,
    "MNIST",
  );
  assert.deepEqual(chooseClasses({}), {
    dataset: "mnist",
    title: "MNIST",
    names: DIGITS,
    source: "the default",
  });
  const named = chooseClasses({ metadata: { classNames: ["cat", "dog"] } });
  assert.deepEqual(named.names, ["cat", "dog"]);

  await using checkpoint = await fakeCheckpoint(["weights.bin"], { dataset: "fashion-mnist" });
  const { dir } = checkpoint;
  const config = pageConfig(await inspectCheckpoint(dir), { checkpoint: dir, script: "" });
  assert.equal(config.datasetTitle, "Fashion-MNIST");
  assert.deepEqual(config.fit, FASHION_MNIST_FIT);
});

Deno.test("deno task demo prints its URL and says in the terminal when there is no checkpoint", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).tasks;
  assert.equal(tasks.demo, "deno run --allow-all demo/main.ts");
  await using tmp = await tempDir("demo-server-test-");
  const demo = await startDemoProcess(["--checkpoint", join(tmp.path, "mlp_1")]);
  try {
    const log = demo.log();
    assert.match(log, /Draw a digit: the demo is serving at\n\n {4}http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(log, /No checkpoint to load: there is no checkpoint folder .*mlp_1/);
    assert.match(log, /Notebook 05 \(notebooks\/05_train\.ipynb\) trains the model/);
    const page = await rawRequest(demo.port, "/");
    assert.match(String(embeddedConfig(page.body).problem), /notebooks\/05_train\.ipynb/);
    const script = await rawRequest(demo.port, "/demo.js");
    assert.equal(script.status, 200);
    assert.ok(script.body.length > 100_000, `a bundle of ${script.body.length} characters`);
    assert.ok(script.body.includes("SeededDropout"), "the bundle registers SeededDropout");
  } finally {
    await demo.stop();
  }
  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${ROOT}demo/main.ts`, "--dataset", "cifar"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 2);
  assert.match(
    new TextDecoder().decode(bad.stderr),
    /--dataset cifar: expected mnist or fashion-mnist\n\nusage:/,
  );
});
