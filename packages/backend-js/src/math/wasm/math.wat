;; Helpers shared by the recurrent modules: scripts/build-wasm.ts pastes this file where a module says
;; ";; #include math.wat" (one source, one copy per module: a call into another instance cannot be inlined).

  ;; In place over n floats at p (n a multiple of 4): sigmoid (tanh = 0) or tanh (tanh = 1) of each, as
  ;;   sigmoid v = 1 / (2 + m),  m = expm1(-v)         (= 1 / (1 + e^-v))
  ;;   tanh v = sign(v) * m / (m + 2),  m = expm1(2|v|)
  ;; with expm1 x = e^x - 1 lane-wise and without cancellation near 0, so that tanh keeps full relative
  ;; accuracy there: Cody-Waite reduction x = n*ln2 + r, Cephes' expf polynomial for e^r - 1 - r, 2^n built in
  ;; the exponent bits; x clamped to +-87 (finite float32 range).
  ;; The loops call this once per gate block of a sample, never once per vector: V8 does not inline wasm calls,
  ;; and a call in a loop spills every vector that lives across it. So the polynomial is written out here, in
  ;; the one loop that runs it.
  (func $act (param $p i32) (param $n i32) (param $tanh i32)
    (local $end i32) (local $v v128) (local $x v128) (local $k v128) (local $r v128) (local $q v128) (local $s v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $v (v128.load (local.get $p)))
      (local.set $x (if (result v128) (local.get $tanh)
        (then (f32x4.add (f32x4.abs (local.get $v)) (f32x4.abs (local.get $v))))
        (else (f32x4.neg (local.get $v)))))
      ;; m = expm1(x), into x.
      (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87 -87 -87 -87))
        (v128.const f32x4 87 87 87 87)))
      (local.set $k (f32x4.nearest (f32x4.mul (local.get $x)
        (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
      (local.set $r (f32x4.sub
        (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
        (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
      (local.set $q (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
        (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
        (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
        (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
        (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
      (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r))
        (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
      ;; e^r - 1 = r + q*r^2; then e^x - 1 = (e^r - 1)*2^k + (2^k - 1), exact in the k = 0 case.
      (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $q) (f32x4.mul (local.get $r) (local.get $r)))))
      (local.set $s (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127))
        (i32.const 23)))
      (local.set $x (f32x4.add (f32x4.mul (local.get $r) (local.get $s)) (f32x4.sub (local.get $s) (f32x4.splat (f32.const 1)))))
      (v128.store (local.get $p) (if (result v128) (local.get $tanh)
        (then (v128.or (f32x4.div (local.get $x) (f32x4.add (local.get $x) (f32x4.splat (f32.const 2))))
          (v128.and (local.get $v) (i32x4.splat (i32.const 0x80000000)))))
        (else (f32x4.div (f32x4.splat (f32.const 1)) (f32x4.add (f32x4.splat (f32.const 2)) (local.get $x))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l))))

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

