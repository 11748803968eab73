/**
 * Finding a BLAS library on this machine and calling its `cblas_sgemm` through `Deno.dlopen`.
 *
 * @module
 */

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

/**
 * Path of a BLAS library: `MLP_BLAS_LIB` if set, else the first OpenBLAS or Accelerate found.
 *
 * Returns undefined when none is found; throws when `MLP_BLAS_LIB` names a missing file.
 *
 * @example
 * ```ts
 * findBlasLibrary({ MLP_BLAS_LIB: "/opt/blas/libopenblas.so" }); // "/opt/blas/libopenblas.so"
 * ```
 */
export function findBlasLibrary(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): string | undefined {
  const chosen = env.MLP_BLAS_LIB;
  if (chosen !== undefined && chosen !== "") {
    if (!isFile(chosen)) {
      throw new Error(`MLP_BLAS_LIB is set to "${chosen}", but no such file exists`);
    }
    return chosen;
  }
  return BLAS_CANDIDATES.find((path) => path.includes("/") ? isFile(path) : loaderFinds(path));
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
}

/** Opens the BLAS library at `path` with `Deno.dlopen`; throws if it lacks `cblas_sgemm`. */
export function openBlas(path: string): Blas {
  const { symbols } = Deno.dlopen(path, SYMBOLS);
  const sgemm = symbols.cblas_sgemm;
  const setNumThreads = symbols.openblas_set_num_threads;
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
  };
}
