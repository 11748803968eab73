/**
 * The "blas" backend's class: the cpu backend, holding the BLAS library its matrix kernels call,
 * plus a pool that recycles the float32 arrays of disposed tensors. A fresh zero-filled array
 * costs more than the loop that fills it (zeroing, page faults, garbage collection), and a
 * training step makes hundreds of them.
 *
 * An array is recycled, or updated in place by the fused Adam optimizer, only while nothing else
 * can see it: it was made by `allocate`, never read out (`dataSync`, `data`, moving to another
 * backend), and never passed to a kernel that is not the blas backend's own (a cpu kernel such
 * as Slice may return a view of its input).
 *
 * @module
 */
import type { BackendValues, DataId, TensorInfo } from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { Blas } from "./blas_library.ts";

/** Arrays shorter than this are not pooled: allocating them is cheap. */
const MIN_POOLED_LENGTH = 4096;
/** At most this many bytes wait in the pool; beyond that, disposed arrays go to the GC. */
const MAX_POOLED_BYTES = 256 * 2 ** 20;

/**
 * A cpu backend that multiplies matrices with `blas` and whose own kernels allocate their
 * float32 outputs from a recycling pool.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { findBlasLibrary, openBlas } from "./blas_library.ts";
 * import { registerAllKernels } from "./register_all_kernels.ts";
 *
 * const path = findBlasLibrary(); // registerBlasBackend does all this, or says why not
 * if (path !== undefined) {
 *   registerAllKernels("my-blas");
 *   tf.registerBackend("my-blas", () => new BlasBackend(openBlas(path)), 0);
 *   await tf.setBackend("my-blas");
 *   assert.deepEqual(await tf.matMul([[1, 2]], [[3], [4]]).array(), [[11]]);
 * }
 * ```
 */
export class BlasBackend extends MathBackendCPU {
  /** The BLAS library the BatchMatMul and _FusedMatMul kernels call. */
  readonly blas: Blas;
  /** Free arrays by length. */
  #free = new Map<number, Float32Array[]>();
  #freeBytes = 0;
  /** Arrays handed out by `allocate` that nothing outside this backend's kernels has seen. */
  #private = new WeakSet<Float32Array>();

  /** A backend whose matrix kernels call `blas`, as `openBlas` returns it. */
  constructor(blas: Blas) {
    super();
    this.blas = blas;
  }

  /**
   * The values of `t` as float32: its own array if it is a float32 tensor, a float32 copy of an
   * int32 or bool tensor's (exact for integers up to 2²⁴, as tfjs's own cast is), else undefined.
   * For labels such as `tf.oneHot`'s, which the fused kernels read and never write.
   */
  numericValues(t: TensorInfo): Float32Array | undefined {
    if (t.dtype === "float32") return this.floatValues(t);
    if (t.dtype !== "int32" && t.dtype !== "bool") return undefined;
    return Float32Array.from(this.data.get(t.dataId).values as Int32Array | Uint8Array);
  }

  /** The values of `t` if it is a float32 tensor, else undefined. */
  floatValues(t: TensorInfo): Float32Array | undefined {
    if (t.dtype !== "float32") return undefined;
    const values = this.data.get(t.dataId).values;
    return values instanceof Float32Array ? values : undefined;
  }

  /** A float32 array of `length` for a kernel output; its contents are arbitrary. */
  allocate(length: number): Float32Array {
    const values = length < MIN_POOLED_LENGTH ? undefined : this.#free.get(length)?.pop();
    if (values) this.#freeBytes -= values.byteLength;
    const out = values ?? new Float32Array(length);
    this.#private.add(out);
    return out;
  }

  /**
   * The values of float32 `t` if only `t` can see them (made by `allocate`, never exposed, and
   * held by no other tensor), so that they may be overwritten in place; else undefined.
   */
  ownValues(t: TensorInfo): Float32Array | undefined {
    if (t.dtype !== "float32" || !this.data.has(t.dataId)) return undefined;
    const { values } = this.data.get(t.dataId);
    if (!(values instanceof Float32Array) || this.refCount(t.dataId) !== 1) return undefined;
    return this.#private.has(values) ? values : undefined;
  }

  /** Marks the values of `dataId` as seen from outside, so they are never recycled. */
  expose(dataId: DataId): void {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    if (values instanceof Float32Array) this.#private.delete(values);
  }

  /** The values of `dataId`, which are then exposed: never recycled. */
  override readSync(dataId: DataId): BackendValues {
    this.expose(dataId);
    return super.readSync(dataId);
  }

  /** Releases `dataId` as the cpu backend does, pooling its array if nothing else has seen it. */
  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (
      values instanceof Float32Array && this.#private.has(values) && !this.data.has(dataId) &&
      values.length >= MIN_POOLED_LENGTH && this.#freeBytes + values.byteLength <= MAX_POOLED_BYTES
    ) {
      this.#private.delete(values);
      const free = this.#free.get(values.length) ?? [];
      free.push(values);
      this.#free.set(values.length, free);
      this.#freeBytes += values.byteLength;
    }
    return released;
  }

  /** Empties the pool, then disposes the cpu backend. */
  override dispose(): void {
    this.#free.clear();
    this.#freeBytes = 0;
    super.dispose();
  }
}

/**
 * `backend` as a {@linkcode BlasBackend}, for a kernel's `args.backend`; throws when a kernel of
 * this package runs on another backend.
 */
export function asBlasBackend(backend: unknown): BlasBackend {
  if (backend instanceof BlasBackend) return backend;
  const name = (backend as { constructor?: { name?: string } } | null)?.constructor?.name;
  throw new Error(`blas kernel: expected a BlasBackend, got ${name ?? String(backend)}`);
}
