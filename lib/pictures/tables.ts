/**
 * HTML tables for notebook output, with every value escaped.
 *
 * @module
 */
import { checkError } from "../checks.ts";

/** A table cell: numbers are right-aligned (their header too when all the column is), text left. */
export type Cell = string | number;

/** Options of {@linkcode htmlTable}. */
export interface HtmlTableOptions {
  /** Caption shown above the table. */
  caption?: string;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const CELL_STYLE = "padding:4px 10px;border-bottom:1px solid #ddd";

/**
 * Escapes `& < > " '` so that text shows as typed inside HTML.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeHtml("a < b"), "a &lt; b");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const UNESCAPES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&apos;": "'",
  "&amp;": "&",
};

/**
 * Turns the entities {@linkcode escapeHtml} writes (and `&apos;`) back into their characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(unescapeHtml(escapeHtml(`a < "b" & 'c'`)), `a < "b" & 'c'`);
 * ```
 */
export function unescapeHtml(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|apos|amp);/g, (e) => UNESCAPES[e]);
}

/**
 * Builds an HTML table from headers and rows; every row must have one cell per header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const html = htmlTable(["Model", "Errors"], [["clean", 204]], { caption: "Results" });
 * assert.match(html, /^<table.*<caption[^>]*>Results<\/caption>/);
 * assert.match(html, /text-align:right">204<\/td>/); // numbers are right-aligned
 * ```
 */
export function htmlTable(headers: string[], rows: Cell[][], opts: HtmlTableOptions = {}): string {
  if (headers.length === 0) throw checkError("htmlTable: headers", "at least one header", "none");
  rows.forEach((row, i) => {
    if (row.length !== headers.length) {
      const expected = `${headers.length} (one cell per header)`;
      throw checkError(`htmlTable: rows[${i}].length`, expected, `${row.length}`);
    }
  });
  const numeric = headers.map((_, j) =>
    rows.length > 0 && rows.every((row) => typeof row[j] === "number")
  );
  const cell = (tag: string, value: Cell, right: boolean) =>
    `<${tag} style="${CELL_STYLE};text-align:${right ? "right" : "left"}">${
      escapeHtml(String(value))
    }</${tag}>`;
  const caption = opts.caption === undefined
    ? ""
    : `<caption style="caption-side:top;font-weight:bold;padding:4px">${
      escapeHtml(opts.caption)
    }</caption>`;
  const head = `<thead><tr>${
    headers.map((h, j) => cell("th", h, numeric[j])).join("")
  }</tr></thead>`;
  const body = `<tbody>${
    rows.map((row) => `<tr>${row.map((v) => cell("td", v, typeof v === "number")).join("")}</tr>`)
      .join("")
  }</tbody>`;
  return `<table style="border-collapse:collapse;font-variant-numeric:tabular-nums">${caption}${head}${body}</table>`;
}
