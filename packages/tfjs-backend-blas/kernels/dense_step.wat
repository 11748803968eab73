;; The source of kernels/dense_step_wasm.ts: `deno task build-wasm` compiles it with wabt.
;; The elementwise passes of dense_step.ts over float32 arrays at byte offsets of its memory,
;; four lanes at a time; n (units per row) is a multiple of 4.
(module
  (memory (export "memory") 1)

  ;; out [rows, n] = (relu?)(out + bias [n]) * (mask [rows, n] if mask != 0); relu is max(x, 0):
  ;; +0 for negatives and -0, NaN kept.
  (func (export "activate")
    (param $out i32) (param $bias i32) (param $mask i32) (param $rows i32) (param $n i32)
    (param $relu i32)
    (local $i i32) (local $end i32) (local $j i32) (local $row i32) (local $v v128)
    (local.set $end (i32.mul (i32.mul (local.get $rows) (local.get $n)) (i32.const 4)))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $row) (local.get $end)))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $j) (i32.mul (local.get $n) (i32.const 4))))
            (local.set $i (i32.add (local.get $row) (local.get $j)))
            (local.set $v (f32x4.add
              (v128.load (i32.add (local.get $out) (local.get $i)))
              (v128.load (i32.add (local.get $bias) (local.get $j)))))
            (if (local.get $relu)
              (then (local.set $v (f32x4.max (local.get $v) (v128.const f32x4 0 0 0 0)))))
            (if (local.get $mask)
              (then (local.set $v (f32x4.mul (local.get $v)
                (v128.load (i32.add (local.get $mask) (local.get $i)))))))
            (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $v))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $col)))
        (local.set $row (i32.add (local.get $row) (i32.mul (local.get $n) (i32.const 4))))
        (br $rowLoop))))

  ;; delta [rows, n] *= (mask or 1) where output > 0 (or everywhere without relu), else +0;
  ;; sums [n] (float64, zeroed here) = the column sums of the new delta, row by row.
  (func (export "back")
    (param $delta i32) (param $output i32) (param $mask i32) (param $sums i32) (param $rows i32)
    (param $n i32) (param $relu i32)
    (local $i i32) (local $end i32) (local $j i32) (local $row i32) (local $s i32)
    (local $d v128) (local $factor v128)
    (memory.fill (local.get $sums) (i32.const 0) (i32.mul (local.get $n) (i32.const 8)))
    (local.set $end (i32.mul (i32.mul (local.get $rows) (local.get $n)) (i32.const 4)))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $row) (local.get $end)))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $col
            (br_if $rowDone (i32.ge_u (local.get $j) (i32.mul (local.get $n) (i32.const 4))))
            (local.set $i (i32.add (local.get $row) (local.get $j)))
            (local.set $factor (if (result v128) (local.get $mask)
              (then (v128.load (i32.add (local.get $mask) (local.get $i))))
              (else (v128.const f32x4 1 1 1 1))))
            (if (local.get $relu)
              (then (local.set $factor (v128.and (local.get $factor)
                (f32x4.gt (v128.load (i32.add (local.get $output) (local.get $i)))
                  (v128.const f32x4 0 0 0 0))))))
            (local.set $d (f32x4.mul
              (v128.load (i32.add (local.get $delta) (local.get $i))) (local.get $factor)))
            (v128.store (i32.add (local.get $delta) (local.get $i)) (local.get $d))
            (local.set $s (i32.add (local.get $sums) (i32.shl (local.get $j) (i32.const 1))))
            (v128.store (local.get $s)
              (f64x2.add (v128.load (local.get $s)) (f64x2.promote_low_f32x4 (local.get $d))))
            (v128.store offset=16 (local.get $s)
              (f64x2.add (v128.load offset=16 (local.get $s))
                (f64x2.promote_low_f32x4
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                    (local.get $d) (local.get $d)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $col)))
        (local.set $row (i32.add (local.get $row) (i32.mul (local.get $n) (i32.const 4))))
        (br $rowLoop))))
)
