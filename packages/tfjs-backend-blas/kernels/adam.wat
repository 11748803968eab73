;; The source of kernels/adam_wasm.ts: `deno task build-wasm` compiles it with wabt.
(module
  (memory (export "memory") 1)
  ;; Adam's update of n float32 parameters at byte offsets w, m, v, g, in place, four lanes at
  ;; a time, each operation rounded to float32 (kernels/adam_simd.ts has the same in JavaScript):
  ;; m = b1 m + c1 g; v = b2 v + c2 g g; w = w - step m / (sqrt(v vs) + eps).
  (func (export "adam")
    (param $n i32) (param $w i32) (param $m i32) (param $v i32) (param $g i32)
    (param $step f32) (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (param $vs f32) (param $eps f32)
    (local $i i32) (local $end i32) (local $o i32)
    (local $gi v128) (local $mi v128) (local $vi v128)
    (local $gs f32) (local $ms f32) (local $vsc f32)
    (local.set $end (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $mi (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $o))) (f32x4.splat (local.get $b1)))
          (f32x4.mul (local.get $gi) (f32x4.splat (local.get $c1)))))
        (local.set $vi (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $o))) (f32x4.splat (local.get $b2)))
          (f32x4.mul (f32x4.mul (local.get $gi) (local.get $gi)) (f32x4.splat (local.get $c2)))))
        (v128.store (i32.add (local.get $m) (local.get $o)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $o)) (local.get $vi))
        (v128.store (i32.add (local.get $w) (local.get $o))
          (f32x4.sub (v128.load (i32.add (local.get $w) (local.get $o)))
            (f32x4.div (f32x4.mul (local.get $mi) (f32x4.splat (local.get $step)))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vi) (f32x4.splat (local.get $vs))))
                (f32x4.splat (local.get $eps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vec)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $o (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $o))))
        (local.set $ms (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $o))) (local.get $b1))
          (f32.mul (local.get $gs) (local.get $c1))))
        (local.set $vsc (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $o))) (local.get $b2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $c2))))
        (f32.store (i32.add (local.get $m) (local.get $o)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $o)) (local.get $vsc))
        (f32.store (i32.add (local.get $w) (local.get $o))
          (f32.sub (f32.load (i32.add (local.get $w) (local.get $o)))
            (f32.div (f32.mul (local.get $ms) (local.get $step))
              (f32.add (f32.sqrt (f32.mul (local.get $vsc) (local.get $vs))) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))
)
