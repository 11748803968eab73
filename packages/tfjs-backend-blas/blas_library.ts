/**
 * Finding a BLAS library on this machine and calling its `cblas_sgemm` through `Deno.dlopen`.
 *
 * @module
 */

/** Where to look for a BLAS library. */
export interface FindBlasOptions {
  /**
   * A library path, or a name the dynamic loader resolves (e.g. "libopenblas.so.0"); unset or
   * empty: the first of {@linkcode BLAS_CANDIDATES} found.
   */
  library?: string;
}

/**
 * Where OpenBLAS and Accelerate live on Debian/Ubuntu, other Linux, and macOS, in lookup order.
 *
 * Debian's pthread build comes first, by its own path: `libopenblas.so.0` may point at the OpenMP
 * build instead, which crashes a `deno test` run that loads it in several test modules.
 */
export const BLAS_CANDIDATES: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib64/libopenblas.so.0",
  "/usr/lib/libopenblas.so.0",
  "libopenblas.so.0",
  "libopenblas.so",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
  "/System/Library/Frameworks/Accelerate.framework/Accelerate",
];

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Whether the dynamic loader resolves a bare library name such as `libopenblas.so.0`. */
function loaderFinds(name: string): boolean {
  try {
    Deno.dlopen(name, {}).close();
    return true;
  } catch {
    return false;
  }
}

/** Whether `library` is a file (a path) or a name the dynamic loader resolves (no slash). */
function exists(library: string): boolean {
  return library.includes("/") ? isFile(library) : loaderFinds(library);
}

/**
 * Path of a BLAS library: `options.library` if given, else the first of {@linkcode BLAS_CANDIDATES}
 * found; undefined when none is found, an Error when the given library does not exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0" on Debian with OpenBLAS
 * const found = findBlasLibrary();
 * assert.ok(found === undefined || BLAS_CANDIDATES.includes(found)); // undefined: none here
 * if (found) assert.equal(findBlasLibrary({ library: found }), found); // a given one, if it exists
 * assert.throws(() => findBlasLibrary({ library: "/opt/blas/no-such-libopenblas.so" }));
 * ```
 */
export function findBlasLibrary(options: FindBlasOptions = {}): string | undefined {
  const chosen = options.library;
  if (chosen !== undefined && chosen !== "") {
    if (typeof chosen !== "string" || !exists(chosen)) {
      throw new Error(
        `library: expected an existing file or a name the dynamic loader resolves, ` +
          `got ${JSON.stringify(chosen)}`,
      );
    }
    return chosen;
  }
  return BLAS_CANDIDATES.find(exists);
}

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // m
      "i32", // n
      "i32", // k
      "f32", // alpha
      "buffer", // a
      "i32", // lda
      "buffer", // b
      "i32", // ldb
      "f32", // beta
      "buffer", // c
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_corename: { parameters: [], result: "pointer", optional: true },
  openblas_get_config: { parameters: [], result: "pointer", optional: true },
} as const;

/** A loaded BLAS library: single-precision GEMM and an optional thread-count setter. */
export interface Blas {
  /** The library's path, as given to `openBlas`. */
  readonly path: string;
  /**
   * Row-major C[m,n] = op(A)[m,k] · op(B)[k,n], where op transposes when the flag is set.
   *
   * A is stored [m,k] (or [k,m] when `transA`), B [k,n] (or [n,k] when `transB`).
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
  ): void;
  /** Sets the library's thread count; returns false when the library has no such setting. */
  setThreads(count: number): boolean;
  /**
   * The kernel set OpenBLAS chose for this CPU (`openblas_get_corename`, such as "Haswell") and
   * its build (`openblas_get_config`); undefined for a library that does not say.
   */
  kernels(): { corename: string; config: string } | undefined;
}

/**
 * Opens the BLAS library at `path` with `Deno.dlopen`; throws if it cannot be loaded or lacks
 * `cblas_sgemm`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const path = findBlasLibrary();
 * if (path !== undefined) { // undefined: no BLAS library on this machine, nothing to open
 *   const blas = openBlas(path);
 *   const c = new Float32Array(4);
 *   blas.sgemm(false, false, 2, 2, 1, Float32Array.of(1, 2), Float32Array.of(3, 4), c);
 *   assert.deepEqual(c, Float32Array.of(3, 4, 6, 8)); // [1, 2]ᵀ · [3, 4]
 *   const kernels = blas.kernels(); // OpenBLAS names its kernel set; other libraries do not
 *   if (kernels !== undefined) assert.match(kernels.config, /OpenBLAS/);
 * }
 * ```
 */
export function openBlas(path: string): Blas {
  const { symbols } = Deno.dlopen(path, SYMBOLS);
  const sgemm = symbols.cblas_sgemm;
  const setNumThreads = symbols.openblas_set_num_threads;
  const text = (get: (() => Deno.PointerValue) | null) => {
    const pointer = get?.();
    return pointer ? Deno.UnsafePointerView.getCString(pointer) : undefined;
  };
  return {
    path,
    sgemm(transA, transB, m, n, k, a, b, c) {
      sgemm(
        CBLAS_ROW_MAJOR,
        transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        m,
        n,
        k,
        1,
        a,
        transA ? m : k,
        b,
        transB ? k : n,
        0,
        c,
        n,
      );
    },
    setThreads(count) {
      if (setNumThreads === null) return false;
      setNumThreads(count);
      return true;
    },
    kernels() {
      const corename = text(symbols.openblas_get_corename);
      const config = text(symbols.openblas_get_config);
      return corename === undefined || config === undefined ? undefined : { corename, config };
    },
  };
}
