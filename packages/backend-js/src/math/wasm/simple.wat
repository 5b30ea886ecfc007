;; The simple (Elman) RNN time loops, fused like lstm.wat: h' = act([h | x | 1] [W_hh^T; W_ih^T; b]), act =
;; tanh or relu (relu = 1), b = b_ih + b_hh. H is a multiple of 4: simple-wasm.ts pads with zero weights, and
;; a padded unit stays act(0) = 0.
;; Lanes are masked instead of branched on: a mask k (all ones iff t < lens[b]) keeps an inactive sample's
;; state and zeroes its outputs and gradients.
(module
  (import "k" "memory" (memory 1))
  (import "k" "gemm" (func $gemm (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))

  ;; #include math.wat

  ;; h = y = act(pre) for the B samples of one step (inactive samples: h kept, y = 0). pre [B, H] ends holding
  ;; tanh(pre) (relu: unchanged).
  (func $update (param $pre i32) (param $h i32) (param $y i32) (param $H i32) (param $B i32) (param $t i32)
    (param $lens i32) (param $relu i32)
    (local $end i32) (local $k v128) (local $v v128)
    (if (i32.eqz (local.get $relu))
      (then (call $act (local.get $pre) (i32.mul (local.get $B) (local.get $H)) (i32.const 1))))
    (block $done (loop $b
      (br_if $done (i32.eqz (local.get $B)))
      (local.set $k (i32x4.splat (i32.sub (i32.const 0) (i32.lt_s (local.get $t) (i32.load (local.get $lens))))))
      (local.set $end (i32.add (local.get $h) (i32.shl (local.get $H) (i32.const 2))))
      (loop $j
        (local.set $v (v128.load (local.get $pre)))
        (if (local.get $relu) (then (local.set $v (f32x4.max (local.get $v) (v128.const i32x4 0 0 0 0)))))
        (v128.store (local.get $h) (v128.bitselect (local.get $v) (v128.load (local.get $h)) (local.get $k)))
        (v128.store (local.get $y) (v128.and (local.get $v) (local.get $k)))
        (local.set $pre (i32.add (local.get $pre) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $h (i32.add (local.get $h) (i32.const 16)))
        (br_if $j (i32.lt_u (local.get $h) (local.get $end))))
      (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
      (local.set $B (i32.sub (local.get $B) (i32.const 1)))
      (br $b))))

  ;; One simple-RNN direction over T steps of B samples. x [T, B, D] holds the inputs; each step stacks [h | x_t | 1] into xh (rows ld floats apart) and runs one product with w,
  ;; the packed [W_hh^T; W_ih^T; bias] ([H + D + 1, H], panel stride bs bytes), into pre [B, H] (the step's
  ;; pre-activations, overwritten). h [B, H] is the initial state and ends as the final one; y [T, B, H];
  ;; lens [B] (i32): sample b is active at step t iff t < lens[b], and reverse walks t down. When record, xh
  ;; [T, B, ld] keeps every step's rows (h before the step and x: the weight gradients' operand); otherwise it
  ;; is one step's rows, reused.
  (func (export "simple_forward")
    (param $T i32) (param $B i32) (param $H i32) (param $x i32) (param $D i32) (param $xh i32) (param $ld i32)
    (param $w i32) (param $bs i32) (param $pre i32) (param $h i32) (param $y i32) (param $lens i32)
    (param $record i32) (param $reverse i32) (param $relu i32)
    (local $s i32) (local $t i32) (local $maxL i32) (local $step i32) (local $row i32) (local $xt i32)
    (local.set $step (i32.mul (local.get $B) (i32.shl (local.get $H) (i32.const 2))))
    (local.set $maxL (call $max_len (local.get $lens) (local.get $B)))
    (block $done (loop $steps
      (br_if $done (i32.ge_s (local.get $s) (local.get $T)))
      (local.set $t (select (i32.sub (i32.sub (local.get $T) (i32.const 1)) (local.get $s)) (local.get $s)
        (local.get $reverse)))
      (local.set $row (i32.mul (local.get $t) (local.get $step)))
      (local.set $xt (i32.add (local.get $xh) (select
        (i32.shl (i32.mul (i32.mul (local.get $t) (local.get $B)) (local.get $ld)) (i32.const 2))
        (i32.const 0) (local.get $record))))
      (if (i32.ge_s (local.get $t) (local.get $maxL))
        (then
          (memory.fill (i32.add (local.get $y) (local.get $row)) (i32.const 0) (local.get $step))
          ;; zeros, not stale memory, where the weight gradients multiply zero pre-activation gradients
          (if (local.get $record)
            (then (memory.fill (local.get $xt) (i32.const 0)
              (i32.shl (i32.mul (local.get $B) (local.get $ld)) (i32.const 2))))))
        (else
          (call $stack_rows (local.get $xt) (local.get $ld) (local.get $h) (local.get $H)
            (i32.add (local.get $x) (i32.shl (i32.mul (i32.mul (local.get $t) (local.get $B)) (local.get $D))
              (i32.const 2)))
            (local.get $D) (local.get $B))
          (call $gemm (local.get $B) (i32.add (i32.add (local.get $H) (local.get $D)) (i32.const 1)) (local.get $H) (local.get $xt)
            (local.get $ld) (local.get $w) (local.get $bs) (local.get $pre) (local.get $H) (i32.const 0))
          (call $update (local.get $pre) (local.get $h) (i32.add (local.get $y) (local.get $row))
            (local.get $H) (local.get $B) (local.get $t) (local.get $lens) (local.get $relu))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $steps))))

  ;; Pre-activation gradients of one step for the B samples: dg = (dh + dy) * act'(y), from the output y
  ;; (tanh' = 1 - y^2, relu' = [y > 0]); an active sample's dh is zeroed, for the step's product to refill.
  (func $act_back (param $y i32) (param $dy i32) (param $dh i32) (param $dg i32) (param $H i32) (param $B i32)
    (param $t i32) (param $lens i32) (param $relu i32)
    (local $end i32) (local $k v128) (local $d v128) (local $v v128)
    (block $done (loop $b
      (br_if $done (i32.eqz (local.get $B)))
      (local.set $k (i32x4.splat (i32.sub (i32.const 0) (i32.lt_s (local.get $t) (i32.load (local.get $lens))))))
      (local.set $end (i32.add (local.get $dh) (i32.shl (local.get $H) (i32.const 2))))
      (loop $j
        (local.set $d (v128.load (local.get $dh)))
        (if (local.get $dy)
          (then
            (local.set $d (f32x4.add (local.get $d) (v128.load (local.get $dy))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))))
        (local.set $v (v128.load (local.get $y)))
        (local.set $d (if (result v128) (local.get $relu)
          (then (v128.and (local.get $d) (f32x4.gt (local.get $v) (v128.const i32x4 0 0 0 0))))
          (else (f32x4.mul (local.get $d)
            (f32x4.sub (f32x4.splat (f32.const 1)) (f32x4.mul (local.get $v) (local.get $v)))))))
        (v128.store (local.get $dg) (v128.and (local.get $d) (local.get $k)))
        (v128.store (local.get $dh) (v128.andnot (v128.load (local.get $dh)) (local.get $k)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $dg (i32.add (local.get $dg) (i32.const 16)))
        (local.set $dh (i32.add (local.get $dh) (i32.const 16)))
        (br_if $j (i32.lt_u (local.get $dh) (local.get $end))))
      (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
      (local.set $B (i32.sub (local.get $B) (i32.const 1)))
      (br $b))))

  ;; Backpropagation through time of one direction run by simple_forward (same y, lens, reverse, relu). dy:
  ;; d loss / d y [T, B, H], or 0 for none. dh [B, H]: d loss / d final state in, d loss / d initial state
  ;; out. Writes dG [T, B, H], the pre-activation gradients (zero at inactive rows). whh is W_hh packed as is
  ;; ([H, H], panel stride bs bytes).
  (func (export "simple_backward")
    (param $T i32) (param $B i32) (param $H i32) (param $y i32) (param $dy i32) (param $dh i32) (param $dG i32)
    (param $whh i32) (param $bs i32) (param $lens i32) (param $reverse i32) (param $relu i32)
    (local $s i32) (local $t i32) (local $maxL i32) (local $step i32) (local $row i32)
    (local.set $step (i32.mul (local.get $B) (i32.shl (local.get $H) (i32.const 2))))
    (local.set $maxL (call $max_len (local.get $lens) (local.get $B)))
    (block $done (loop $steps
      (br_if $done (i32.ge_s (local.get $s) (local.get $T)))
      (local.set $t (select (local.get $s) (i32.sub (i32.sub (local.get $T) (i32.const 1)) (local.get $s))
        (local.get $reverse)))
      (local.set $row (i32.mul (local.get $t) (local.get $step)))
      (if (i32.ge_s (local.get $t) (local.get $maxL))
        (then (memory.fill (i32.add (local.get $dG) (local.get $row)) (i32.const 0) (local.get $step)))
        (else
          (call $act_back (i32.add (local.get $y) (local.get $row))
            (select (i32.add (local.get $dy) (local.get $row)) (i32.const 0) (local.get $dy))
            (local.get $dh) (i32.add (local.get $dG) (local.get $row)) (local.get $H) (local.get $B) (local.get $t)
            (local.get $lens) (local.get $relu))
          ;; dh += dG W_hh: an inactive sample's row of dG is zero, so its dh is kept.
          (call $gemm (local.get $B) (local.get $H) (local.get $H) (i32.add (local.get $dG) (local.get $row))
            (local.get $H) (local.get $whh) (local.get $bs) (local.get $dh) (local.get $H) (i32.const 1))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $steps))))
)
