;; Helpers shared by the recurrent modules: scripts/build-wasm.ts pastes this file where a module says
;; ";; #include math.wat" (one source, one copy per module: a call into another instance cannot be inlined).
;; Hot loops call $expm1 directly and write sigmoid / tanh around it by hand (V8 does not inline small wasm
;; functions by default, and a second call level per vector costs more than the few instructions it saves):
;;   sigmoid x = 1 / (2 + expm1(-x))          (= 1 / (1 + e^-x))
;;   tanh x    = sign(x) * m / (m + 2),  m = expm1(2|x|)
  ;; e^x - 1 lane-wise, without cancellation near 0 (Cody-Waite reduction x = n*ln2 + r, Cephes' expf
  ;; polynomial for e^r - 1 - r, 2^n built in the exponent bits). x is clamped to +-87 (finite float32 range).
  (func $expm1 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $s v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87 -87 -87 -87))
      (v128.const f32x4 87 87 87 87)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    ;; e^r - 1 = r + p*r^2; then e^x - 1 = (e^r - 1)*2^n + (2^n - 1), exact in the n = 0 case.
    (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r)))))
    (local.set $s (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127))
      (i32.const 23)))
    (f32x4.add (f32x4.mul (local.get $r) (local.get $s)) (f32x4.sub (local.get $s) (f32x4.splat (f32.const 1)))))


  ;; The longest of B lengths (i32) at lens.
  (func $max_len (param $lens i32) (param $B i32) (result i32)
    (local $m i32) (local $end i32)
    (local.set $end (i32.add (local.get $lens) (i32.shl (local.get $B) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $lens) (local.get $end)))
      (if (i32.gt_s (i32.load (local.get $lens)) (local.get $m)) (then (local.set $m (i32.load (local.get $lens)))))
      (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
      (br $l)))
    (local.get $m))

