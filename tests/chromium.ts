/**
 * Headless Chromium for the browser tests: where it is, and how it is launched.
 *
 * @module
 */
import puppeteer, { type Browser } from "puppeteer-core";
import { CHROMIUM_PATHS } from "../scripts/setup.ts";
import { ROOT } from "./notebook_fixtures.ts";

/** Where the browser tests save their screenshots (git-ignored). */
export const SHOTS = `${ROOT}tests/screenshots`;

/** The first Chromium of {@linkcode CHROMIUM_PATHS} that exists, or undefined. */
export const CHROMIUM: string | undefined = CHROMIUM_PATHS.find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});

/** What the skip line names when Chromium is missing. */
export const CHROMIUM_MISSING = `Chromium (${CHROMIUM_PATHS.join(" or ")})`;

/** Launches headless Chromium without sandbox, GPU or any background traffic. */
export function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error(`launchChromium: expected ${CHROMIUM_MISSING}, found none`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
