/**
 * The tfjs backend choice: blas (the workspace package) where a BLAS library is found, else wasm or cpu.
 *
 * @module
 */
export * from "./init.ts";
export * from "./wasm_fast.ts";
