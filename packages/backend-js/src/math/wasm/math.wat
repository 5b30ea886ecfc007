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
    (local $end i32) (local $v v128) (local $x v128) (local $j v128) (local $k v128) (local $r v128) (local $q v128)
    (local $s v128) (local $one v128) (local $two v128) (local $hi v128) (local $lo v128) (local $l2e v128)
    (local $magic v128) (local $c1 v128) (local $c2 v128) (local $q0 v128) (local $q1 v128) (local $q2 v128)
    (local $q3 v128) (local $q4 v128) (local $q5 v128) (local $sign v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    ;; The constants come from mutable globals, read once here: TurboFan rebuilds a v128.const (or anything
    ;; computed from constants alone) at every use inside the loop, 3 instructions each, which doubled the
    ;; loop's length; a global read is a load that stays where it is.
    (local.set $one (global.get $K_one))
    (local.set $two (global.get $K_two))
    (local.set $hi (global.get $K_hi))
    (local.set $lo (global.get $K_lo))
    (local.set $l2e (global.get $K_log2e))
    (local.set $magic (global.get $K_magic))
    (local.set $c1 (global.get $K_ln2hi))
    (local.set $c2 (global.get $K_ln2lo))
    (local.set $q0 (global.get $K_q0))
    (local.set $q1 (global.get $K_q1))
    (local.set $q2 (global.get $K_q2))
    (local.set $q3 (global.get $K_q3))
    (local.set $q4 (global.get $K_q4))
    (local.set $q5 (global.get $K_q5))
    (local.set $sign (global.get $K_sign))
    ;; Two loops rather than a branch per vector: each keeps fewer constants live (fewer reloads from the stack).
    (if (local.get $tanh)
      (then
        (block $t_done (loop $t_loop
          (br_if $t_done (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $v (v128.load (local.get $p)))
          ;; x = 2|v| (>= 0: only the upper clamp), into m = expm1(x) below
          (local.set $x (v128.andnot (local.get $v) (local.get $sign)))
          (local.set $x (f32x4.pmin (f32x4.add (local.get $x) (local.get $x)) (local.get $hi)))
          (local.set $j (f32x4.add (f32x4.mul (local.get $x) (local.get $l2e)) (local.get $magic)))
          (local.set $k (f32x4.sub (local.get $j) (local.get $magic)))
          (local.set $r (f32x4.add (f32x4.add (local.get $x) (f32x4.mul (local.get $k) (local.get $c1)))
            (f32x4.mul (local.get $k) (local.get $c2))))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q0) (local.get $r)) (local.get $q1)))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (local.get $q2)))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (local.get $q3)))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (local.get $q4)))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (local.get $q5)))
          (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $q) (f32x4.mul (local.get $r) (local.get $r)))))
          (local.set $s (i32x4.shl (local.get $j) (i32.const 23)))
          (local.set $x (f32x4.add (f32x4.mul (local.get $r) (local.get $s)) (f32x4.sub (local.get $s) (local.get $one))))
          (v128.store (local.get $p) (v128.or (f32x4.div (local.get $x) (f32x4.add (local.get $x) (local.get $two)))
            (v128.and (local.get $v) (local.get $sign))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $t_loop))))
      (else
        (block $s_done (loop $s_loop
          (br_if $s_done (i32.ge_u (local.get $p) (local.get $end)))
          ;; x = -v, clamped; pmin/pmax are one instruction each (min/max are several: NaN and -0 rules), and
          ;; the feeds are finite.
          (local.set $x (f32x4.pmin (f32x4.pmax (v128.xor (v128.load (local.get $p)) (local.get $sign)) (local.get $lo))
            (local.get $hi)))
          ;; m = expm1(x), into x. k = round(x / ln2) by the (1.5 * 2^23 + 127) trick: j holds k + 127 in its
          ;; low mantissa bits, j - magic is k exactly (|k| <= 126), the same nearest-even rounding as
          ;; f32x4.nearest without a float-int conversion, and j's bits shifted left by 23 are 2^k (magic's own
          ;; high bits shift out).
          (local.set $j (f32x4.add (f32x4.mul (local.get $x) (local.get $l2e)) (local.get $magic)))
          (local.set $k (f32x4.sub (local.get $j) (local.get $magic)))
          ;; r = x - k*ln2 in two parts, written as additions of negated constants so that the fused build
          ;; (scripts/build-wasm.ts) turns them into multiply-adds; the same values in the plain one.
          (local.set $r (f32x4.add (f32x4.add (local.get $x) (f32x4.mul (local.get $k) (local.get $c1)))
            (f32x4.mul (local.get $k) (local.get $c2))))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q0) (local.get $r)) (local.get $q1)))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (local.get $q2)))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (local.get $q3)))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (local.get $q4)))
          (local.set $q (f32x4.add (f32x4.mul (local.get $q) (local.get $r)) (local.get $q5)))
          ;; e^r - 1 = r + q*r^2; then e^x - 1 = (e^r - 1)*2^k + (2^k - 1), exact in the k = 0 case.
          (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $q) (f32x4.mul (local.get $r) (local.get $r)))))
          (local.set $s (i32x4.shl (local.get $j) (i32.const 23)))
          (local.set $x (f32x4.add (f32x4.mul (local.get $r) (local.get $s)) (f32x4.sub (local.get $s) (local.get $one))))
          (v128.store (local.get $p) (f32x4.div (local.get $one) (f32x4.add (local.get $two) (local.get $x))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $s_loop))))))

  ;; $act's constants (mutable, so that V8 loads them instead of rebuilding them; nothing writes them). ln2hi
  ;; and ln2lo are negated (see the reduction); magic is 1.5 * 2^23 + 127.
  (global $K_one (mut v128) (v128.const f32x4 1 1 1 1))
  (global $K_two (mut v128) (v128.const f32x4 2 2 2 2))
  (global $K_hi (mut v128) (v128.const f32x4 87 87 87 87))
  (global $K_lo (mut v128) (v128.const f32x4 -87 -87 -87 -87))
  (global $K_log2e (mut v128) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341
    1.44269504088896341))
  (global $K_magic (mut v128) (v128.const f32x4 12583039 12583039 12583039 12583039))
  (global $K_ln2hi (mut v128) (v128.const f32x4 -0.693359375 -0.693359375 -0.693359375 -0.693359375))
  (global $K_ln2lo (mut v128) (v128.const f32x4 2.12194440e-4 2.12194440e-4 2.12194440e-4 2.12194440e-4))
  (global $K_q0 (mut v128) (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
  (global $K_q1 (mut v128) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3))
  (global $K_q2 (mut v128) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3))
  (global $K_q3 (mut v128) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2))
  (global $K_q4 (mut v128) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1))
  (global $K_q5 (mut v128) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1))
  (global $K_sign (mut v128) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))

  ;; The product's left operand of one step: row b of xh (ld floats apart) = [h row b (H floats) | x row b (D
  ;; floats) | 1] for the B samples; the ones column carries the bias through the product.
  (func $stack_rows (param $xh i32) (param $ld i32) (param $h i32) (param $H i32) (param $x i32) (param $D i32)
    (param $B i32)
    (local $hb i32) (local $db i32)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $db (i32.shl (local.get $D) (i32.const 2)))
    (local.set $ld (i32.shl (local.get $ld) (i32.const 2)))
    (block $done (loop $b
      (br_if $done (i32.eqz (local.get $B)))
      (memory.copy (local.get $xh) (local.get $h) (local.get $hb))
      (memory.copy (i32.add (local.get $xh) (local.get $hb)) (local.get $x) (local.get $db))
      (f32.store (i32.add (i32.add (local.get $xh) (local.get $hb)) (local.get $db)) (f32.const 1))
      (local.set $xh (i32.add (local.get $xh) (local.get $ld)))
      (local.set $h (i32.add (local.get $h) (local.get $hb)))
      (local.set $x (i32.add (local.get $x) (local.get $db)))
      (local.set $B (i32.sub (local.get $B) (i32.const 1)))
      (br $b))))

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

