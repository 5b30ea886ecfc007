;; The GRU time loops (forward and backpropagation through time), fused like lstm.wat: every step's recurrent
;; products and the gate update run here on buffers that stay in the arena. Gate order r, z, n, and
;; h' = n + z*(h - n)  (= (1 - z)*n + z*h):
;;   reset-after  (ra = 1, PyTorch):          n = tanh(xn + r*(W_hn h + b_hn))
;;   reset-before (ra = 0, ONNX's default):   n = tanh(xn + W_hn (r*h))     (b_hn folded into xn)
;; where the gates [T, B, 3H] hold the input projection x W_ih^T + b_ih, plus b_hh except b_hn under
;; reset-after. H is a multiple of 4: gru-wasm.ts pads each gate block and state row with zero weights, and a
;; padded unit stays 0 (r = z = 1/2, n = tanh(0) = 0, h' = 0 + z*(0 - 0)).
;; Lanes are masked instead of branched on: every sample of a step is computed, and a mask k (all ones iff
;; t < lens[b]) keeps an inactive sample's state and zeroes its outputs and gradients.
(module
  (import "k" "memory" (memory 1))
  (import "k" "gemm" (func $gemm (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))

  ;; #include math.wat

  ;; Rows of D floats at x + 4*rows (bytes) become rows [x | 1] of D + 1 floats at x, in place: row r's source
  ;; starts at or after its destination and after every earlier destination, so walking r up reads each
  ;; source before anything overwrites it (memory.copy is a memmove). The GRU projection's left operand.
  (func (export "append_ones") (param $x i32) (param $rows i32) (param $D i32)
    (local $src i32) (local $db i32)
    (local.set $db (i32.shl (local.get $D) (i32.const 2)))
    (local.set $src (i32.add (local.get $x) (i32.shl (local.get $rows) (i32.const 2))))
    (block $done (loop $r
      (br_if $done (i32.eqz (local.get $rows)))
      (memory.copy (local.get $x) (local.get $src) (local.get $db))
      (f32.store (i32.add (local.get $x) (local.get $db)) (f32.const 1))
      (local.set $x (i32.add (i32.add (local.get $x) (local.get $db)) (i32.const 4)))
      (local.set $src (i32.add (local.get $src) (local.get $db)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $r))))

  ;; Reset-after update of one step for the B samples: r, z = sigmoid(g + hp), hn = hp_n + bhn,
  ;; n = tanh(g_n + r*hn). hp [B, 3H] is h W_hh^T. g [B, 3H] (the step's gates) ends holding r, z, n and aux
  ;; [B, H] gets hn: what backward needs.
  (func $after (param $g i32) (param $hp i32) (param $bhn i32) (param $h i32) (param $y i32) (param $aux i32)
    (param $H i32) (param $B i32) (param $t i32) (param $lens i32)
    (local $hb i32) (local $j i32) (local $k v128) (local $hn v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $done (loop $b
      (br_if $done (i32.eqz (local.get $B)))
      (local.set $k (i32x4.splat (i32.sub (i32.const 0) (i32.lt_s (local.get $t) (i32.load (local.get $lens))))))
      (local.set $j (i32.const 0))
      (loop $rz
        (v128.store (i32.add (local.get $g) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $g) (local.get $j))) (v128.load (i32.add (local.get $hp) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $rz (i32.lt_u (local.get $j) (i32.shl (local.get $hb) (i32.const 1)))))
      (call $act (local.get $g) (i32.shl (local.get $H) (i32.const 1)) (i32.const 0))
      ;; From here g, hp point at the n blocks, and j runs over one block: r is at g - 2hb.
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1))))
      (local.set $hp (i32.add (local.get $hp) (i32.shl (local.get $hb) (i32.const 1))))
      (local.set $j (i32.const 0))
      (loop $n
        (local.set $hn (f32x4.add (v128.load (i32.add (local.get $hp) (local.get $j)))
          (v128.load (i32.add (local.get $bhn) (local.get $j)))))
        (v128.store (i32.add (local.get $aux) (local.get $j)) (local.get $hn))
        (v128.store (i32.add (local.get $g) (local.get $j)) (f32x4.add (v128.load (i32.add (local.get $g) (local.get $j)))
          (f32x4.mul (v128.load (i32.sub (i32.add (local.get $g) (local.get $j)) (i32.shl (local.get $hb) (i32.const 1))))
            (local.get $hn))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $n (i32.lt_u (local.get $j) (local.get $hb))))
      (call $act (local.get $g) (local.get $H) (i32.const 1))
      (call $update (local.get $g) (local.get $h) (local.get $y) (local.get $hb) (local.get $k))
      (local.set $g (i32.add (local.get $g) (local.get $hb)))
      (local.set $hp (i32.add (local.get $hp) (local.get $hb)))
      (local.set $h (i32.add (local.get $h) (local.get $hb)))
      (local.set $y (i32.add (local.get $y) (local.get $hb)))
      (local.set $aux (i32.add (local.get $aux) (local.get $hb)))
      (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
      (local.set $B (i32.sub (local.get $B) (i32.const 1)))
      (br $b))))

  ;; h' = n + z*(h - n) for one sample, from n at gn and z at gn - hb (hb = H*4 bytes); h kept where the
  ;; mask k is off, y = h' & k.
  (func $update (param $gn i32) (param $h i32) (param $y i32) (param $hb i32) (param $k v128)
    (local $j i32) (local $n v128) (local $v v128)
    (loop $l
      (local.set $n (v128.load (i32.add (local.get $gn) (local.get $j))))
      (local.set $v (v128.load (i32.add (local.get $h) (local.get $j))))
      (local.set $v (f32x4.add (local.get $n)
        (f32x4.mul (v128.load (i32.sub (i32.add (local.get $gn) (local.get $j)) (local.get $hb)))
          (f32x4.sub (local.get $v) (local.get $n)))))
      (v128.store (i32.add (local.get $h) (local.get $j))
        (v128.bitselect (local.get $v) (v128.load (i32.add (local.get $h) (local.get $j))) (local.get $k)))
      (v128.store (i32.add (local.get $y) (local.get $j)) (v128.and (local.get $v) (local.get $k)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $j) (local.get $hb)))))

  ;; Reset-before, first half of a step: r, z = sigmoid(g) in place, and aux = r*h (the operand of W_hn).
  (func $before_rz (param $g i32) (param $h i32) (param $aux i32) (param $H i32) (param $B i32) (param $t i32)
    (param $lens i32)
    (local $hb i32) (local $j i32) (local $k v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $done (loop $b
      (br_if $done (i32.eqz (local.get $B)))
      (local.set $k (i32x4.splat (i32.sub (i32.const 0) (i32.lt_s (local.get $t) (i32.load (local.get $lens))))))
      (call $act (local.get $g) (i32.shl (local.get $H) (i32.const 1)) (i32.const 0))
      (local.set $j (i32.const 0))
      (loop $l
        (v128.store (i32.add (local.get $aux) (local.get $j)) (v128.and (local.get $k)
          (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $j))) (v128.load (i32.add (local.get $h) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br_if $l (i32.lt_u (local.get $j) (local.get $hb))))
      (local.set $g (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3))))
      (local.set $h (i32.add (local.get $h) (local.get $hb)))
      (local.set $aux (i32.add (local.get $aux) (local.get $hb)))
      (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
      (local.set $B (i32.sub (local.get $B) (i32.const 1)))
      (br $b))))

  ;; Reset-before, second half: n = tanh(g_n) in place (g_n now includes W_hn (r*h)), h' = n + z*(h - n).
  (func $before_n (param $g i32) (param $h i32) (param $y i32) (param $H i32) (param $B i32) (param $t i32)
    (param $lens i32)
    (local $hb i32)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $g (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1))))
    (block $done (loop $b
      (br_if $done (i32.eqz (local.get $B)))
      (call $act (local.get $g) (local.get $H) (i32.const 1))
      (call $update (local.get $g) (local.get $h) (local.get $y) (local.get $hb)
        (i32x4.splat (i32.sub (i32.const 0) (i32.lt_s (local.get $t) (i32.load (local.get $lens))))))
      (local.set $g (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3))))
      (local.set $h (i32.add (local.get $h) (local.get $hb)))
      (local.set $y (i32.add (local.get $y) (local.get $hb)))
      (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
      (local.set $B (i32.sub (local.get $B) (i32.const 1)))
      (br $b))))

  ;; One GRU direction over T steps of B samples. gates [T, B, 3H] holds the input projection (see the top);
  ;; bhn [H] is b_hn (reset-after); whh is W_hh^T packed ([H, 3H], panel stride bs bytes); h [B, H] is the
  ;; initial state and ends as the final one; y [T, B, H]; lens [B] (i32): sample b is active at step t iff
  ;; t < lens[b], and reverse walks t down. hp is [B, 3H] scratch (reset-after). aux gets hn (reset-after) or
  ;; r*h (reset-before): [T, B, H] when record, else [B, H] reused by every step. When record, hprev
  ;; [T, B, H] keeps h before each step. gates end holding r, z, n.
  (func (export "gru_forward")
    (param $T i32) (param $B i32) (param $H i32) (param $gates i32) (param $bhn i32) (param $whh i32) (param $bs i32)
    (param $h i32) (param $y i32) (param $lens i32) (param $hprev i32) (param $aux i32) (param $hp i32)
    (param $record i32) (param $reverse i32) (param $ra i32)
    (local $s i32) (local $t i32) (local $maxL i32) (local $H3 i32) (local $step i32) (local $row i32)
    (local $gt i32) (local $ax i32) (local $yt i32)
    (local.set $H3 (i32.mul (local.get $H) (i32.const 3)))
    (local.set $step (i32.mul (local.get $B) (i32.shl (local.get $H) (i32.const 2))))
    (local.set $maxL (call $max_len (local.get $lens) (local.get $B)))
    (block $done (loop $steps
      (br_if $done (i32.ge_s (local.get $s) (local.get $T)))
      (local.set $t (select (i32.sub (i32.sub (local.get $T) (i32.const 1)) (local.get $s)) (local.get $s)
        (local.get $reverse)))
      (local.set $row (i32.mul (local.get $t) (local.get $step)))
      (local.set $gt (i32.add (local.get $gates) (i32.mul (local.get $row) (i32.const 3))))
      (local.set $yt (i32.add (local.get $y) (local.get $row)))
      (local.set $ax (i32.add (local.get $aux) (select (local.get $row) (i32.const 0) (local.get $record))))
      (if (local.get $record)
        (then (memory.copy (i32.add (local.get $hprev) (local.get $row)) (local.get $h) (local.get $step))))
      (if (i32.ge_s (local.get $t) (local.get $maxL))
        (then
          ;; No sample is active: zero outputs, and aux, which backward's products read.
          (memory.fill (local.get $yt) (i32.const 0) (local.get $step))
          (memory.fill (local.get $ax) (i32.const 0) (local.get $step)))
        (else (if (local.get $ra)
          (then
            (call $gemm (local.get $B) (local.get $H) (local.get $H3) (local.get $h) (local.get $H) (local.get $whh)
              (local.get $bs) (local.get $hp) (local.get $H3) (i32.const 0))
            (call $after (local.get $gt) (local.get $hp) (local.get $bhn) (local.get $h) (local.get $yt)
              (local.get $ax) (local.get $H) (local.get $B) (local.get $t) (local.get $lens)))
          (else
            ;; r, z pre-activations += h W_h[rz]^T (the first 2H columns of W_hh^T) ...
            (call $gemm (local.get $B) (local.get $H) (i32.shl (local.get $H) (i32.const 1)) (local.get $h)
              (local.get $H) (local.get $whh) (local.get $bs) (local.get $gt) (local.get $H3) (i32.const 1))
            (call $before_rz (local.get $gt) (local.get $h) (local.get $ax) (local.get $H) (local.get $B)
              (local.get $t) (local.get $lens))
            ;; ... then n's += (r*h) W_hn^T: the last H columns, panels 2H/4 on.
            (call $gemm (local.get $B) (local.get $H) (local.get $H) (local.get $ax) (local.get $H)
              (i32.add (local.get $whh) (i32.mul (i32.shr_u (local.get $H) (i32.const 1)) (local.get $bs)))
              (local.get $bs) (i32.add (local.get $gt) (i32.shl (local.get $H) (i32.const 3))) (local.get $H3)
              (i32.const 1))
            (call $before_n (local.get $gt) (local.get $h) (local.get $yt) (local.get $H) (local.get $B)
              (local.get $t) (local.get $lens))))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $steps))))

  ;; Gate gradients of one step for the B samples, from what gru_forward recorded (r, z, n at g; h before the
  ;; step at hp; hn at aux under reset-after): with d = dh + dy (dy = 0: no output gradient),
  ;; dn = d(1 - z)(1 - n^2) and dz = d(h - n)z(1 - z) go to dx (the x-side pre-activation gradients [B, 3H]),
  ;; and dh becomes d*z, the direct part (the step's products add the rest). Under reset-after also
  ;; dr = dn*hn*r(1 - r) to dx and dhh, and dz, dn*r to dhh (the h-side ones); reset-before's dr needs
  ;; dn W_hn first ($before_back).
  (func $back (param $g i32) (param $hp i32) (param $aux i32) (param $dy i32) (param $dh i32) (param $dx i32)
    (param $dhh i32) (param $H i32) (param $B i32) (param $t i32) (param $lens i32) (param $ra i32)
    (local $hb i32) (local $end i32) (local $k v128) (local $one v128) (local $d v128) (local $r v128)
    (local $z v128) (local $n v128) (local $dn v128) (local $dz v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (block $done (loop $b
      (br_if $done (i32.eqz (local.get $B)))
      (local.set $k (i32x4.splat (i32.sub (i32.const 0) (i32.lt_s (local.get $t) (i32.load (local.get $lens))))))
      (local.set $end (i32.add (local.get $dh) (local.get $hb)))
      (loop $j
        (local.set $d (v128.load (local.get $dh)))
        (if (local.get $dy)
          (then
            (local.set $d (f32x4.add (local.get $d) (v128.load (local.get $dy))))
            (local.set $dy (i32.add (local.get $dy) (i32.const 16)))))
        (local.set $r (v128.load (local.get $g)))
        (local.set $z (v128.load (i32.add (local.get $g) (local.get $hb))))
        (local.set $n (v128.load (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1)))))
        (local.set $dn (v128.and (local.get $k) (f32x4.mul (f32x4.mul (local.get $d) (f32x4.sub (local.get $one) (local.get $z)))
          (f32x4.sub (local.get $one) (f32x4.mul (local.get $n) (local.get $n))))))
        (local.set $dz (v128.and (local.get $k) (f32x4.mul (f32x4.mul (local.get $d)
          (f32x4.sub (v128.load (local.get $hp)) (local.get $n)))
          (f32x4.mul (local.get $z) (f32x4.sub (local.get $one) (local.get $z))))))
        (v128.store (i32.add (local.get $dx) (local.get $hb)) (local.get $dz))
        (v128.store (i32.add (local.get $dx) (i32.shl (local.get $hb) (i32.const 1))) (local.get $dn))
        (v128.store (local.get $dh)
          (v128.bitselect (f32x4.mul (local.get $d) (local.get $z)) (v128.load (local.get $dh)) (local.get $k)))
        (if (local.get $ra)
          (then
            ;; dn is masked, so dr is too.
            (local.set $d (f32x4.mul (f32x4.mul (local.get $dn) (v128.load (local.get $aux)))
              (f32x4.mul (local.get $r) (f32x4.sub (local.get $one) (local.get $r)))))
            (v128.store (local.get $dx) (local.get $d))
            (v128.store (local.get $dhh) (local.get $d))
            (v128.store (i32.add (local.get $dhh) (local.get $hb)) (local.get $dz))
            (v128.store (i32.add (local.get $dhh) (i32.shl (local.get $hb) (i32.const 1)))
              (f32x4.mul (local.get $dn) (local.get $r)))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $hp (i32.add (local.get $hp) (i32.const 16)))
        (local.set $aux (i32.add (local.get $aux) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (local.set $dhh (i32.add (local.get $dhh) (i32.const 16)))
        (local.set $dh (i32.add (local.get $dh) (i32.const 16)))
        (br_if $j (i32.lt_u (local.get $dh) (local.get $end))))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1))))
      (local.set $dx (i32.add (local.get $dx) (i32.shl (local.get $hb) (i32.const 1))))
      (local.set $dhh (i32.add (local.get $dhh) (i32.shl (local.get $hb) (i32.const 1))))
      (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
      (local.set $B (i32.sub (local.get $B) (i32.const 1)))
      (br $b))))

  ;; Reset-before: with e = dn W_hn (d loss / d (r*h), at e), dr = e*h*r(1 - r) goes to dx and e*r to dh.
  (func $before_back (param $g i32) (param $hp i32) (param $e i32) (param $dx i32) (param $dh i32) (param $H i32)
    (param $B i32) (param $t i32) (param $lens i32)
    (local $hb i32) (local $end i32) (local $k v128) (local $r v128) (local $v v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $done (loop $b
      (br_if $done (i32.eqz (local.get $B)))
      (local.set $k (i32x4.splat (i32.sub (i32.const 0) (i32.lt_s (local.get $t) (i32.load (local.get $lens))))))
      (local.set $end (i32.add (local.get $dh) (local.get $hb)))
      (loop $j
        (local.set $r (v128.load (local.get $g)))
        (local.set $v (v128.and (v128.load (local.get $e)) (local.get $k)))
        (v128.store (local.get $dx) (f32x4.mul (f32x4.mul (local.get $v) (v128.load (local.get $hp)))
          (f32x4.mul (local.get $r) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $r)))))
        (v128.store (local.get $dh) (f32x4.add (v128.load (local.get $dh)) (f32x4.mul (local.get $v) (local.get $r))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $hp (i32.add (local.get $hp) (i32.const 16)))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (local.set $dh (i32.add (local.get $dh) (i32.const 16)))
        (br_if $j (i32.lt_u (local.get $dh) (local.get $end))))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1))))
      (local.set $dx (i32.add (local.get $dx) (i32.shl (local.get $hb) (i32.const 1))))
      (local.set $lens (i32.add (local.get $lens) (i32.const 4)))
      (local.set $B (i32.sub (local.get $B) (i32.const 1)))
      (br $b))))

  ;; Backpropagation through time of one GRU direction recorded by gru_forward (same gates, hprev, aux, lens,
  ;; reverse, ra). dy: d loss / d y [T, B, H], or 0 for none. dh [B, H]: d loss / d final state in, d loss /
  ;; d initial state out. Writes dx [T, B, 3H], the x-side pre-activation gradients (zero at inactive rows),
  ;; and under reset-after dhh [T, B, 3H], the h-side ones (reset-before: pass dhh = dx, they are the same).
  ;; whh is W_hh packed as is ([3H, H], panel stride bs bytes); tmp is [B, H] scratch.
  (func (export "gru_backward")
    (param $T i32) (param $B i32) (param $H i32) (param $gates i32) (param $hprev i32) (param $aux i32)
    (param $dy i32) (param $dh i32) (param $dx i32) (param $dhh i32) (param $whh i32) (param $bs i32)
    (param $tmp i32) (param $lens i32) (param $reverse i32) (param $ra i32)
    (local $s i32) (local $t i32) (local $maxL i32) (local $H3 i32) (local $step i32) (local $row i32)
    (local $gx i32) (local $gh i32)
    (local.set $H3 (i32.mul (local.get $H) (i32.const 3)))
    (local.set $step (i32.mul (local.get $B) (i32.shl (local.get $H) (i32.const 2))))
    (local.set $maxL (call $max_len (local.get $lens) (local.get $B)))
    (block $done (loop $steps
      (br_if $done (i32.ge_s (local.get $s) (local.get $T)))
      (local.set $t (select (local.get $s) (i32.sub (i32.sub (local.get $T) (i32.const 1)) (local.get $s))
        (local.get $reverse)))
      (local.set $row (i32.mul (local.get $t) (local.get $step)))
      (local.set $gx (i32.add (local.get $dx) (i32.mul (local.get $row) (i32.const 3))))
      (local.set $gh (i32.add (local.get $dhh) (i32.mul (local.get $row) (i32.const 3))))
      (if (i32.ge_s (local.get $t) (local.get $maxL))
        (then
          (memory.fill (local.get $gx) (i32.const 0) (i32.mul (local.get $step) (i32.const 3)))
          (memory.fill (local.get $gh) (i32.const 0) (i32.mul (local.get $step) (i32.const 3))))
        (else
          (call $back (i32.add (local.get $gates) (i32.mul (local.get $row) (i32.const 3)))
            (i32.add (local.get $hprev) (local.get $row)) (i32.add (local.get $aux) (local.get $row))
            (select (i32.add (local.get $dy) (local.get $row)) (i32.const 0) (local.get $dy))
            (local.get $dh) (local.get $gx) (local.get $gh) (local.get $H) (local.get $B) (local.get $t)
            (local.get $lens) (local.get $ra))
          (if (local.get $ra)
            (then
              ;; dh += dhh W_hh. Inactive rows of dhh are zero, so their dh is kept.
              (call $gemm (local.get $B) (local.get $H3) (local.get $H) (local.get $gh) (local.get $H3)
                (local.get $whh) (local.get $bs) (local.get $dh) (local.get $H) (i32.const 1)))
            (else
              ;; e = dn W_hn (rows 2H.. of W_hh), then dr; then dh += [dr dz] W_h[rz] (rows 0..2H).
              (call $gemm (local.get $B) (local.get $H) (local.get $H)
                (i32.add (local.get $gx) (i32.shl (local.get $H) (i32.const 3))) (local.get $H3)
                (i32.add (local.get $whh) (i32.shl (local.get $H) (i32.const 5))) (local.get $bs) (local.get $tmp)
                (local.get $H) (i32.const 0))
              (call $before_back (i32.add (local.get $gates) (i32.mul (local.get $row) (i32.const 3)))
                (i32.add (local.get $hprev) (local.get $row)) (local.get $tmp) (local.get $gx) (local.get $dh)
                (local.get $H) (local.get $B) (local.get $t) (local.get $lens))
              (call $gemm (local.get $B) (i32.shl (local.get $H) (i32.const 1)) (local.get $H) (local.get $gx)
                (local.get $H3) (local.get $whh) (local.get $bs) (local.get $dh) (local.get $H) (i32.const 1))))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $steps))))
)
