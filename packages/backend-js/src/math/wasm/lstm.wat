;; The LSTM time loops (forward and backpropagation through time), fused: every step's recurrent product and
;; the gate update run here on buffers that stay in the arena. Imports the memory and gemm of kernels.wat.
;; H is a multiple of 4: lstm-wasm.ts pads each gate block and state row to whole vectors (zeros that stay
;; zero: a padded unit has zero weights and bias, so c = 0 and h = sigmoid(0)*tanh(0) = 0 there).
(module
  (import "k" "memory" (memory 1))
  (import "k" "gemm" (func $gemm (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))

  ;; #include math.wat

  ;; Lane-wise sigmoid (fn = 0) or tanh (fn = 1) of n floats (n a multiple of 4) from src to dst: the accuracy
  ;; test of $act (math.wat), which every time loop uses.
  (func (export "activate") (param $src i32) (param $dst i32) (param $n i32) (param $fn i32)
    (memory.copy (local.get $dst) (local.get $src) (i32.shl (local.get $n) (i32.const 2)))
    (call $act (local.get $dst) (local.get $n) (local.get $fn)))

  ;; One LSTM cell update of one sample, H (a multiple of 4) units, gate order i, f, g, o. g [4H] holds the
  ;; pre-activations (projection with both biases, plus h W_hh^T) and ends holding the activated gates, which
  ;; backward reads; c' = f*c + i*g, h' = o*tanh(c'). Writes c, h, y, c before the step to cp and tanh(c')
  ;; to tc.
  (func $cell (param $g i32) (param $c i32) (param $h i32) (param $y i32) (param $H i32) (param $cp i32)
    (param $tc i32)
    (local $hb i32) (local $j i32) (local $gf i32) (local $gg i32) (local $go i32) (local $v v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $gf (i32.add (local.get $g) (local.get $hb)))
    (local.set $gg (i32.add (local.get $gf) (local.get $hb)))
    (local.set $go (i32.add (local.get $gg) (local.get $hb)))
    (call $act (local.get $g) (i32.shl (local.get $H) (i32.const 1)) (i32.const 0))
    (call $act (local.get $gg) (local.get $H) (i32.const 1))
    (call $act (local.get $go) (local.get $H) (i32.const 0))
    (loop $cs
      (local.set $v (v128.load (i32.add (local.get $c) (local.get $j))))
      (v128.store (i32.add (local.get $cp) (local.get $j)) (local.get $v))
      (local.set $v (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $gf) (local.get $j))) (local.get $v))
        (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $j))) (v128.load (i32.add (local.get $gg) (local.get $j))))))
      (v128.store (i32.add (local.get $c) (local.get $j)) (local.get $v))
      (v128.store (i32.add (local.get $tc) (local.get $j)) (local.get $v))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $cs (i32.lt_u (local.get $j) (local.get $hb))))
    (call $act (local.get $tc) (local.get $H) (i32.const 1))
    (local.set $j (i32.const 0))
    (loop $hs
      (local.set $v (f32x4.mul (v128.load (i32.add (local.get $go) (local.get $j)))
        (v128.load (i32.add (local.get $tc) (local.get $j)))))
      (v128.store (i32.add (local.get $h) (local.get $j)) (local.get $v))
      (v128.store (i32.add (local.get $y) (local.get $j)) (local.get $v))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $hs (i32.lt_u (local.get $j) (local.get $hb)))))

  ;; One LSTM direction over T steps of B samples (H a multiple of 4). x [T, B, D] holds the inputs; each step
  ;; stacks [h | x_t | 1] into xh (rows ld floats apart) and runs one
  ;; product with w, the packed [W_hh^T; W_ih^T; bias] ([H + D + 1, 4H], panel stride bs bytes), into the step's
  ;; gates: the input projection, the bias and the recurrent product in one pass over a cached [B, 4H] block.
  ;; h, c [B, H] are the initial states and end as the final ones; y [T, B, H]; lens [B] (i32). Sample b is
  ;; active at step t iff t < lens[b]; reverse walks t down. When record, xh [T, B, ld] keeps every step's rows
  ;; (h before the step and x: the weight gradients' operand), gates [T, B, 4H] the activated gates, cprev and
  ;; tc [T, B, H] c before each step and tanh(c'); otherwise xh, gates, cprev and tc are one step's slice,
  ;; reused.
  (func (export "lstm_forward")
    (param $T i32) (param $B i32) (param $H i32) (param $x i32) (param $D i32) (param $xh i32) (param $ld i32)
    (param $w i32) (param $bs i32) (param $gates i32) (param $h i32) (param $c i32) (param $y i32) (param $lens i32)
    (param $cprev i32) (param $tc i32) (param $record i32) (param $reverse i32)
    (local $s i32) (local $t i32) (local $b i32) (local $maxL i32) (local $hb i32) (local $step i32) (local $row i32)
    (local $gt i32) (local $o i32) (local $rec i32) (local $xt i32)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $step (i32.mul (local.get $B) (local.get $hb)))
    (local.set $maxL (call $max_len (local.get $lens) (local.get $B)))
    (block $done (loop $steps
      (br_if $done (i32.ge_s (local.get $s) (local.get $T)))
      (local.set $t (select (i32.sub (i32.sub (local.get $T) (i32.const 1)) (local.get $s)) (local.get $s)
        (local.get $reverse)))
      (local.set $row (i32.mul (local.get $t) (local.get $step)))
      (local.set $rec (select (local.get $row) (i32.const 0) (local.get $record)))
      (local.set $xt (i32.add (local.get $xh) (select
        (i32.shl (i32.mul (i32.mul (local.get $t) (local.get $B)) (local.get $ld)) (i32.const 2))
        (i32.const 0) (local.get $record))))
      (if (i32.ge_s (local.get $t) (local.get $maxL))
        (then
          (memory.fill (i32.add (local.get $y) (local.get $row)) (i32.const 0) (local.get $step))
          ;; zeros, not stale memory, where the weight gradients multiply zero gate gradients
          (if (local.get $record)
            (then (memory.fill (local.get $xt) (i32.const 0)
              (i32.shl (i32.mul (local.get $B) (local.get $ld)) (i32.const 2))))))
        (else
          (local.set $gt (i32.add (local.get $gates) (i32.shl (local.get $rec) (i32.const 2))))
          (call $stack_rows (local.get $xt) (local.get $ld) (local.get $h) (local.get $H)
            (i32.add (local.get $x) (i32.shl (i32.mul (i32.mul (local.get $t) (local.get $B)) (local.get $D))
              (i32.const 2)))
            (local.get $D) (local.get $B))
          (call $gemm (local.get $B) (i32.add (i32.add (local.get $H) (local.get $D)) (i32.const 1)) (i32.shl (local.get $H) (i32.const 2))
            (local.get $xt) (local.get $ld) (local.get $w) (local.get $bs) (local.get $gt)
            (i32.shl (local.get $H) (i32.const 2)) (i32.const 0))
          (local.set $b (i32.const 0))
          (block $b_done (loop $bl
            (br_if $b_done (i32.ge_s (local.get $b) (local.get $B)))
            (local.set $o (i32.mul (local.get $b) (local.get $hb)))
            (if (i32.lt_s (local.get $t) (i32.load (i32.add (local.get $lens) (i32.shl (local.get $b) (i32.const 2)))))
              (then
                (call $cell (i32.add (local.get $gt) (i32.shl (local.get $o) (i32.const 2)))
                  (i32.add (local.get $c) (local.get $o)) (i32.add (local.get $h) (local.get $o))
                  (i32.add (i32.add (local.get $y) (local.get $row)) (local.get $o)) (local.get $H)
                  (i32.add (i32.add (local.get $cprev) (local.get $rec)) (local.get $o))
                  (i32.add (i32.add (local.get $tc) (local.get $rec)) (local.get $o))))
              (else
                (memory.fill (i32.add (i32.add (local.get $y) (local.get $row)) (local.get $o)) (i32.const 0)
                  (local.get $hb))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bl)))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $steps))))


  ;; Gate gradients of one sample at one step, from what $cell recorded (activated gates i, f, g, o at g;
  ;; c before at cp; tanh(c') at tc): dh' = dh + dy (dy = 0: no output gradient), dc' = dc + dh'*o*(1 - tc^2);
  ;; writes d pre-activations to dg and dc'*f (the gradient flowing to c before) to dc.
  (func $cell_back (param $g i32) (param $cp i32) (param $tc i32) (param $dy i32) (param $dh i32) (param $dc i32)
    (param $dg i32) (param $H i32)
    (local $hb i32) (local $end i32) (local $one v128)
    (local $dhj v128) (local $dcj v128) (local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $t v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $end (i32.add (local.get $dh) (local.get $hb)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (loop $j
      (local.set $dhj (v128.load (local.get $dh)))
      (if (local.get $dy)
        (then
          (local.set $dhj (f32x4.add (local.get $dhj) (v128.load (local.get $dy))))
          (local.set $dy (i32.add (local.get $dy) (i32.const 16)))))
      (local.set $i (v128.load (local.get $g)))
      (local.set $f (v128.load (i32.add (local.get $g) (local.get $hb))))
      (local.set $gg (v128.load (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1)))))
      (local.set $o (v128.load (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3)))))
      (local.set $t (v128.load (local.get $tc)))
      (local.set $dcj (f32x4.add (v128.load (local.get $dc))
        (f32x4.mul (f32x4.mul (local.get $dhj) (local.get $o))
          (f32x4.sub (local.get $one) (f32x4.mul (local.get $t) (local.get $t))))))
      (v128.store (local.get $dg)
        (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcj) (local.get $gg)) (local.get $i))
          (f32x4.sub (local.get $one) (local.get $i))))
      (v128.store (i32.add (local.get $dg) (local.get $hb))
        (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcj) (v128.load (local.get $cp))) (local.get $f))
          (f32x4.sub (local.get $one) (local.get $f))))
      (v128.store (i32.add (local.get $dg) (i32.shl (local.get $hb) (i32.const 1)))
        (f32x4.mul (f32x4.mul (local.get $dcj) (local.get $i))
          (f32x4.sub (local.get $one) (f32x4.mul (local.get $gg) (local.get $gg)))))
      (v128.store (i32.add (local.get $dg) (i32.mul (local.get $hb) (i32.const 3)))
        (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dhj) (local.get $t)) (local.get $o))
          (f32x4.sub (local.get $one) (local.get $o))))
      (v128.store (local.get $dc) (f32x4.mul (local.get $dcj) (local.get $f)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
      (local.set $tc (i32.add (local.get $tc) (i32.const 16)))
      (local.set $dc (i32.add (local.get $dc) (i32.const 16)))
      (local.set $dg (i32.add (local.get $dg) (i32.const 16)))
      (local.set $dh (i32.add (local.get $dh) (i32.const 16)))
      (br_if $j (i32.lt_u (local.get $dh) (local.get $end)))))

  ;; Backpropagation through time of one LSTM direction recorded by lstm_forward (same gates, cprev, tc, lens,
  ;; reverse). dy: d loss / d y rows (ldy floats apart, [T, B] rows), or 0 for none. dh, dc [B, H]: d loss /
  ;; d final state in, d loss / d initial state out. Writes dG [T, B, 4H] (zero at inactive rows); whh is W_hh
  ;; packed as is ([4H, H], panel stride bs bytes); tmp is [B, H] scratch.
  (func (export "lstm_backward")
    (param $T i32) (param $B i32) (param $H i32) (param $gates i32) (param $cprev i32) (param $tc i32)
    (param $dy i32) (param $ldy i32) (param $dh i32) (param $dc i32) (param $dG i32) (param $whh i32) (param $bs i32)
    (param $tmp i32) (param $lens i32) (param $reverse i32)
    (local $s i32) (local $t i32) (local $b i32) (local $maxL i32) (local $hb i32) (local $step i32) (local $row i32)
    (local $gt i32) (local $o i32) (local $dyb i32)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $step (i32.mul (local.get $B) (local.get $hb)))
    (local.set $maxL (call $max_len (local.get $lens) (local.get $B)))
    (block $done (loop $steps
      (br_if $done (i32.ge_s (local.get $s) (local.get $T)))
      (local.set $t (select (local.get $s) (i32.sub (i32.sub (local.get $T) (i32.const 1)) (local.get $s))
        (local.get $reverse)))
      (local.set $row (i32.mul (local.get $t) (local.get $step)))
      (local.set $gt (i32.add (local.get $dG) (i32.shl (local.get $row) (i32.const 2))))
      (if (i32.ge_s (local.get $t) (local.get $maxL))
        (then (memory.fill (local.get $gt) (i32.const 0) (i32.shl (local.get $step) (i32.const 2))))
        (else
          (local.set $b (i32.const 0))
          (block $b_done (loop $bl
            (br_if $b_done (i32.ge_s (local.get $b) (local.get $B)))
            (local.set $o (i32.mul (local.get $b) (local.get $hb)))
            (if (i32.lt_s (local.get $t) (i32.load (i32.add (local.get $lens) (i32.shl (local.get $b) (i32.const 2)))))
              (then
                (local.set $dyb (select
                  (i32.add (local.get $dy) (i32.shl (i32.mul (i32.add (i32.mul (local.get $t) (local.get $B)) (local.get $b))
                    (local.get $ldy)) (i32.const 2)))
                  (i32.const 0)
                  (local.get $dy)))
                (call $cell_back
                  (i32.add (local.get $gates) (i32.shl (i32.add (local.get $row) (local.get $o)) (i32.const 2)))
                  (i32.add (i32.add (local.get $cprev) (local.get $row)) (local.get $o))
                  (i32.add (i32.add (local.get $tc) (local.get $row)) (local.get $o))
                  (local.get $dyb)
                  (i32.add (local.get $dh) (local.get $o))
                  (i32.add (local.get $dc) (local.get $o))
                  (i32.add (local.get $gt) (i32.shl (local.get $o) (i32.const 2)))
                  (local.get $H)))
              (else
                (memory.fill (i32.add (local.get $gt) (i32.shl (local.get $o) (i32.const 2))) (i32.const 0)
                  (i32.shl (local.get $hb) (i32.const 2)))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bl)))
          (call $gemm (local.get $B) (i32.shl (local.get $H) (i32.const 2)) (local.get $H) (local.get $gt)
            (i32.shl (local.get $H) (i32.const 2)) (local.get $whh) (local.get $bs) (local.get $tmp) (local.get $H)
            (i32.const 0))
          (local.set $b (i32.const 0))
          (block $c_done (loop $cl
            (br_if $c_done (i32.ge_s (local.get $b) (local.get $B)))
            (if (i32.lt_s (local.get $t) (i32.load (i32.add (local.get $lens) (i32.shl (local.get $b) (i32.const 2)))))
              (then
                (memory.copy (i32.add (local.get $dh) (i32.mul (local.get $b) (local.get $hb)))
                  (i32.add (local.get $tmp) (i32.mul (local.get $b) (local.get $hb))) (local.get $hb))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $cl)))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $steps))))
)
