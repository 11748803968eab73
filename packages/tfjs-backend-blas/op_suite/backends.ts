/**
 * The backends the op suite compares: tfjs's cpu backend, the reference, and the blas backend,
 * registered on import (outside any test, so its open library is not reported as a leak). The one
 * file of the harness that imports the blas backend.
 *
 * @module
 */
import "@tensorflow/tfjs-backend-cpu";
import { findBlasLibrary, registerBlasBackend } from "../mod.ts";

/** The reference backend: tfjs-backend-cpu, tfjs's own JavaScript kernels. */
export const REFERENCE = "cpu";

/** The BLAS library found on this machine, or undefined (the suite is then skipped). */
export const library: string | undefined = findBlasLibrary();

/** The blas backend's registration: its name, or why it was not registered. */
export const blas: ReturnType<typeof registerBlasBackend> = registerBlasBackend();
