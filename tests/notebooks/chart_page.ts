/// <reference lib="dom" />
/**
 * What the chart test pages share, page side: a chart drawn by vega, read from its View and
 * scenegraph. Each page (tests/notebooks/jupyterlab_page/, tests/notebooks/vscode_page/) draws
 * notebook outputs its own way and builds its {@linkcode ChartPage} with {@linkcode chartPage};
 * tests/notebooks/chart_checks.ts drives either page through it.
 *
 * @module
 */

/** A chart as vega drew it. */
export interface Drawn {
  /** Canvas or SVG elements inside the renderer: one per drawn chart. */
  surfaces: number;
  /** The drawn size of the first one, in CSS pixels. */
  width: number;
  height: number;
  /** Scene items of role "mark" (data marks, not axes or legends), by mark type. */
  marks: Record<string, number>;
}

/** A mark item of a drawn chart: where it is on screen, its data and its tooltip. */
export interface MarkItem {
  marktype: string;
  /** The name vega gives its mark (e.g. `layer_0_marks`). */
  mark: string;
  /** The item's box in viewport coordinates (CSS pixels); a point for a vertex of a line. */
  left: number;
  top: number;
  width: number;
  height: number;
  /** Its data (empty: the item carries none). */
  datum: Record<string, unknown>;
  tooltip: unknown;
  /** Its opacity as drawn (undefined: the mark's default, 1). */
  opacity?: number;
}

/** What vega picked under the mouse at its last move over a chart: the item's mark. */
export interface Picked {
  marktype: string;
  mark: string;
  role: string;
}

/** One saved or published output: what a notebook file or a kernel message carries. */
export interface OutputData {
  output_type: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** An output a page drew: the key that names it in {@linkcode ChartPage} and its alt text. */
export interface ShownOutput {
  key: string;
  /** The first line of its `text/plain`, if any. */
  text: string;
}

/** What a chart page offers the tests, whichever renderer drew its charts. */
export interface ChartPage {
  /** Draws a notebook's saved outputs under a heading; returns each output it took, in order. */
  showNotebook(name: string, outputs: OutputData[]): Promise<ShownOutput[]>;
  /** How vega drew the chart of `key`, or undefined when it did not. */
  drawn(key: string): Drawn | undefined;
  /** Scrolls the chart of `key` into view and lists its data mark items. */
  marks(key: string): MarkItem[];
  /** Scrolls the chart of `key` into view and lists its legend symbols (datum.value: the entry). */
  legendSymbols(key: string): MarkItem[];
  /**
   * What vega picked at the last mouse move over the chart of `key` since the last call (null:
   * nothing; undefined: the mouse did not move over it).
   */
  picked(key: string): Picked | null | undefined;
  /** The value of the chart's signal `name` (a Vega-Lite param's value). */
  signal(key: string, name: string): unknown;
}

/** The parts of a vega View and its scenegraph that the pages read. */
export interface VegaView {
  origin(): [number, number];
  padding(): { left: number; top: number };
  scenegraph(): { root: SceneMark };
  signal(name: string): unknown;
  addEventListener(type: string, handler: (event: Event, item?: SceneItem | null) => void): void;
}
interface SceneMark {
  marktype: string;
  role: string;
  name?: string;
  items: SceneItem[];
}
interface SceneItem {
  x?: number;
  y?: number;
  bounds?: { x1: number; y1: number; x2: number; y2: number };
  datum?: Record<string, unknown>;
  tooltip?: unknown;
  opacity?: number;
  items?: SceneMark[];
  mark?: SceneMark;
}

/** A drawn chart: its vega View and the element that holds what it drew. */
export interface DrawnChart {
  view: VegaView;
  node: Element;
}

/** The mark types drawn as one path through all their items. */
const PATHS = ["line", "area", "trail"];

/** Every item of role `role` in the view's scenegraph, with its box relative to the view. */
function markItems(view: VegaView, role: string): MarkItem[] {
  const found: MarkItem[] = [];
  const walk = (mark: SceneMark, dx: number, dy: number) => {
    for (const item of mark.items) {
      if (mark.marktype === "group") {
        for (const child of item.items ?? []) walk(child, dx + (item.x ?? 0), dy + (item.y ?? 0));
      } else if (mark.role === role) {
        const [x, y] = [item.x ?? 0, item.y ?? 0];
        // an item of a line, area or trail is one vertex; its bounds are the whole path's
        const vertex = !item.bounds || PATHS.includes(mark.marktype);
        const { x1, y1, x2, y2 } = vertex ? { x1: x, y1: y, x2: x, y2: y } : item.bounds!;
        found.push({
          marktype: mark.marktype,
          mark: mark.name ?? "",
          left: dx + x1,
          top: dy + y1,
          width: x2 - x1,
          height: y2 - y1,
          datum: item.datum ?? {},
          tooltip: item.tooltip,
          opacity: item.opacity,
        });
      }
    }
  };
  // where the renderer puts the scene's origin (vega-view's `offset`: padding plus origin)
  const [ox, oy] = view.origin();
  const { left, top } = view.padding();
  walk(view.scenegraph().root, left + ox, top + oy);
  return found;
}

/**
 * The {@linkcode ChartPage} of a page whose charts `find` looks up by key, all but the page's own
 * `showNotebook`. From the first time a chart is read on, it records what vega picks under the
 * mouse over it.
 */
export function chartPage(
  find: (key: string) => DrawnChart | undefined,
): Omit<ChartPage, "showNotebook"> {
  const watched = new Set<VegaView>();
  const picks = new Map<VegaView, Picked | null>();
  const chart = (key: string) => {
    const found = find(key);
    if (found && !watched.has(found.view)) {
      watched.add(found.view);
      found.view.addEventListener("mousemove", (_event, item) => {
        const mark = item?.mark;
        const picked = mark && { marktype: mark.marktype, mark: mark.name ?? "", role: mark.role };
        picks.set(found.view, picked ?? null);
      });
    }
    return found;
  };
  const surface = (node: Element) => node.querySelector("canvas, svg.marks");
  const onScreen = (key: string, role: string): MarkItem[] => {
    const found = chart(key);
    const drawnOn = found && surface(found.node);
    if (!found || !drawnOn) return [];
    drawnOn.scrollIntoView({ block: "center" });
    const { left, top } = drawnOn.getBoundingClientRect();
    return markItems(found.view, role).map((item) => ({
      ...item,
      left: left + item.left,
      top: top + item.top,
    }));
  };
  return {
    drawn(key) {
      const found = chart(key);
      if (!found) return undefined;
      const surfaces = [...found.node.querySelectorAll("canvas, svg.marks")];
      const box = surfaces[0]?.getBoundingClientRect();
      const marks: Record<string, number> = {};
      for (const item of markItems(found.view, "mark")) {
        marks[item.marktype] = (marks[item.marktype] ?? 0) + 1;
      }
      return { surfaces: surfaces.length, width: box?.width ?? 0, height: box?.height ?? 0, marks };
    },
    marks: (key) => onScreen(key, "mark"),
    legendSymbols: (key) => onScreen(key, "legend-symbol"),
    picked: (key) => {
      const found = chart(key);
      const picked = found && picks.get(found.view);
      if (found) picks.delete(found.view);
      return picked;
    },
    signal: (key, name) => chart(key)?.view.signal(name),
  };
}
