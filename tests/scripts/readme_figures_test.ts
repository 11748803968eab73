/**
 * The README's figures come from the notebook cells tagged `readme-figure` (scripts/reproduce.ts):
 * the committed notebooks mark exactly the images README.md shows, their PNGs are the committed
 * docs/ files, and a missing mark or picture fails with the notebook and the path.
 */
import assert from "node:assert/strict";
import {
  checkMarked,
  figurePngs,
  type NotebookCell,
  type ReadmeFigure,
  readmeFigures,
  readmeFiguresIn,
  readmeImages,
} from "../../scripts/reproduce.ts";
import { ROOT } from "../fixtures/root.ts";

const PNG_BASE64 = "iVBORw0KGgo="; // the 8 bytes of the PNG signature

function cell(
  metadata: Record<string, unknown>,
  outputs: NotebookCell["outputs"] = [],
): NotebookCell {
  return { id: "x-1", metadata, outputs };
}

Deno.test("the committed notebooks mark exactly the figures README.md shows, once each", async () => {
  const expected = readmeImages(await Deno.readTextFile(`${ROOT}README.md`));
  assert.deepEqual(expected.toSorted(), [
    "docs/hidden_layer.png",
    "docs/misclassified.png",
    "docs/robustness.png",
  ]);
  const figures = await readmeFiguresIn(`${ROOT}notebooks`);
  assert.deepEqual(
    figures.map((f) => [f.notebook, f.path]),
    [
      ["notebooks/05_train.ipynb", "docs/misclassified.png"],
      ["notebooks/06_noise.ipynb", "docs/robustness.png"],
      ["notebooks/08_inside.ipynb", "docs/hidden_layer.png"],
    ],
  );
  assert.deepEqual(figures.map((f) => f.path).toSorted(), expected.toSorted());
});

Deno.test("the marked cells' PNGs are the committed docs/ images, byte for byte", async () => {
  const expected = readmeImages(await Deno.readTextFile(`${ROOT}README.md`));
  const pngs = figurePngs(await readmeFiguresIn(`${ROOT}notebooks`), expected);
  assert.equal(pngs.size, expected.length);
  for (const [path, png] of pngs) {
    assert.deepEqual(png, await Deno.readFile(`${ROOT}${path}`), path);
  }
});

Deno.test("readmeFigures finds tagged cells and decodes their first PNG output", () => {
  const marked = { tags: ["other", "readme-figure"], readme_figure: "docs/a.png" };
  const figures = readmeFigures("n.ipynb", {
    cells: [
      cell({}),
      cell({ tags: ["other"] }),
      cell(marked, [
        { output_type: "stream" },
        { output_type: "display_data", data: { "image/png": ["iVBORw0K", "Ggo=\n"] } },
      ]),
    ],
  });
  assert.deepEqual(figures, [{
    notebook: "n.ipynb",
    cellId: "x-1",
    path: "docs/a.png",
    png: Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0)),
  }]);
});

Deno.test("a half-marked cell or a path outside the repository fails, naming the notebook", () => {
  const cases: Record<string, unknown>[] = [
    { tags: ["readme-figure"] },
    { readme_figure: "docs/a.png" },
    { tags: ["readme-figure"], readme_figure: "../a.png" },
    { tags: ["readme-figure"], readme_figure: "/tmp/a.png" },
    { tags: ["readme-figure"], readme_figure: "docs/a.svg" },
  ];
  for (const metadata of cases) {
    assert.throws(
      () => readmeFigures("notebooks/n.ipynb", { cells: [cell(metadata)] }),
      /^Error: notebooks\/n\.ipynb: cell x-1: expected both the tag "readme-figure"/,
      JSON.stringify(metadata),
    );
  }
});

Deno.test("a marked cell without a PNG, or a README image no cell marks, fails naming both", () => {
  const figure = (path: string, png?: Uint8Array): ReadmeFigure => ({
    notebook: "notebooks/n.ipynb",
    cellId: "x-1",
    path,
    png,
  });
  assert.throws(
    () => figurePngs([figure("docs/a.png")], ["docs/a.png"]),
    /notebooks\/n\.ipynb: cell x-1 is marked as README figure docs\/a\.png but has no PNG/,
  );
  assert.throws(
    () => figurePngs([figure("docs/a.png", new Uint8Array(1))], ["docs/a.png", "docs/b.png"]),
    /README\.md shows docs\/b\.png, but no notebook cell produces it/,
  );
  assert.throws(
    () => checkMarked([], ["docs/a.png", "docs/b.png"]),
    /README\.md shows docs\/a\.png, docs\/b\.png, but no notebook cell produces them/,
  );
  assert.throws(
    () => figurePngs([figure("docs/a.png", new Uint8Array(1)), figure("docs/a.png")], []),
    /marks docs\/a\.png, which notebooks\/n\.ipynb \(cell x-1\) marks already/,
  );
  assert.deepEqual(
    figurePngs([figure("docs/extra.png", new Uint8Array(1))], []),
    new Map([["docs/extra.png", new Uint8Array(1)]]),
  );
});

Deno.test("readmeImages lists the docs/ PNGs a README shows, once each, not screenshots", () => {
  const readme = '<img src="docs/b.png">\n![a](docs/a.png) and docs/b.png, not docs/c.svg ' +
    'nor <img src="docs/screenshots/page.png">';
  assert.deepEqual(readmeImages(readme), ["docs/b.png", "docs/a.png"]);
});
