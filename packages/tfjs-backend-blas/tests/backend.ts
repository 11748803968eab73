/**
 * The blas backend of the package's tests: the library found on this machine, registered once per
 * test module on import (outside any test, so that the open library is not reported as a leak).
 *
 * @module
 */
import { findBlasLibrary, registerBlasBackend } from "../mod.ts";
import { blasTestFor } from "./compare.ts";

/** The BLAS library the tests use. */
export const library = findBlasLibrary();
/** The blas backend, registered with the default options. */
export const registration = registerBlasBackend();

/** A test that needs BLAS: skipped, with the reason in its name, when no library is found. */
export const blasTest = blasTestFor(
  library,
  "no BLAS library found (install libopenblas0-pthread or pass { library })",
);
