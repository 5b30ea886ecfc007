;; WebAssembly SIMD kernels of backend-js. Compiled by scripts/build-wasm.ts into kernels-bytes.ts (never edit
;; that file by hand). Pointers are byte offsets into the exported memory; matrix strides are in floats unless
;; a name ends in "b" (bytes).
;;
;; Packed right operand (same layout as math/gemm.ts): panels of 4 columns, element (k, j) of panel p at
;; b + p*bs + k*16 + (j&3)*4, where bs = 16*K is the panel stride of the full matrix (a depth block starting at
;; k0 passes b + k0*16 and the same bs).
(module
  (memory (export "memory") 1)

  ;; C[M, N] (+)= A[M, K] * B. A row-major (lda floats), C row-major (ldc floats). K >= 1, M, N >= 0.
  ;; Columns outer, rows inner: a pair of B panels (K*32 bytes) stays in L1 while the rows stream by.
  (func $gemm (export "gemm")
    (param $M i32) (param $K i32) (param $N i32) (param $a i32) (param $lda i32) (param $b i32) (param $bs i32)
    (param $c i32) (param $ldc i32) (param $acc i32)
    (local $j i32) (local $i i32) (local $pa i32) (local $pc i32) (local $pb i32) (local $nv i32)
    (local.set $lda (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_s (local.get $j) (local.get $N)))
        (local.set $nv (i32.sub (local.get $N) (local.get $j)))
        (local.set $pb (i32.add (local.get $b) (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $bs))))
        (local.set $pa (local.get $a))
        (local.set $pc (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_s (local.get $i) (local.get $M)))
            (if (i32.ge_s (i32.sub (local.get $M) (local.get $i)) (i32.const 4))
              (then
                (if (i32.ge_s (local.get $nv) (i32.const 8))
                  (then (call $t4x8 (local.get $pa) (local.get $lda) (local.get $pb) (local.get $bs) (local.get $pc)
                          (local.get $ldc) (local.get $K) (local.get $acc)))
                  (else (call $t4x4 (local.get $pa) (local.get $lda) (local.get $pb) (local.get $pc) (local.get $ldc)
                          (local.get $K) (local.get $acc) (local.get $nv))))
                (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $lda) (i32.const 2))))
                (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $ldc) (i32.const 2))))
                (local.set $i (i32.add (local.get $i) (i32.const 4))))
              (else
                (if (i32.ge_s (local.get $nv) (i32.const 8))
                  (then (call $t1x8 (local.get $pa) (local.get $pb) (local.get $bs) (local.get $pc) (local.get $K)
                          (local.get $acc)))
                  (else (call $t1x4 (local.get $pa) (local.get $pb) (local.get $pc) (local.get $K) (local.get $acc)
                          (local.get $nv))))
                (local.set $pa (i32.add (local.get $pa) (local.get $lda)))
                (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (select (i32.const 8) (i32.const 4) (i32.ge_s (local.get $nv) (i32.const 8)))))
        (br $cols))))

  ;; Stores 8 floats (two vectors) at p, adding what is there when acc.
  (func $st8 (param $p i32) (param $u v128) (param $v v128) (param $acc i32)
    (if (local.get $acc)
      (then
        (local.set $u (f32x4.add (local.get $u) (v128.load (local.get $p))))
        (local.set $v (f32x4.add (local.get $v) (v128.load offset=16 (local.get $p))))))
    (v128.store (local.get $p) (local.get $u))
    (v128.store offset=16 (local.get $p) (local.get $v)))

  ;; Stores the first n (1..4) lanes of u at p, adding what is there when acc. Reads (never writes) past the
  ;; n-th lane: the arena keeps 16 bytes of slack after every block.
  (func $st4 (param $p i32) (param $u v128) (param $n i32) (param $acc i32)
    (if (local.get $acc) (then (local.set $u (f32x4.add (local.get $u) (v128.load (local.get $p))))))
    (if (i32.ge_s (local.get $n) (i32.const 4))
      (then (v128.store (local.get $p) (local.get $u)) (return)))
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $u)))
    (if (i32.gt_s (local.get $n) (i32.const 1))
      (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $u)))))
    (if (i32.gt_s (local.get $n) (i32.const 2))
      (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $u))))))

  ;; 4 rows x 8 columns (two panels): 8 accumulators, 2 B vectors, 1 broadcast A value.
  (func $t4x8 (param $a i32) (param $lda i32) (param $b i32) (param $bs i32) (param $c i32) (param $ldc i32)
    (param $k i32) (param $acc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b2 i32) (local $end i32)
    (local $x v128) (local $p v128) (local $q v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $lda)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $lda)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $lda)))
    (local.set $b2 (i32.add (local.get $b) (local.get $bs)))
    (local.set $end (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 4))))
    (loop $k
      (local.set $p (v128.load (local.get $b)))
      (local.set $q (v128.load (local.get $b2)))
      (local.set $x (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $p))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $q))))
      (local.set $x (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $p))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $q))))
      (local.set $x (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $p))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $q))))
      (local.set $x (v128.load32_splat (local.get $a3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $p))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $q))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
      (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
      (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
      (local.set $b2 (i32.add (local.get $b2) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $k (i32.lt_u (local.get $b) (local.get $end))))
    (call $st8 (local.get $c) (local.get $c00) (local.get $c01) (local.get $acc))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $st8 (local.get $c) (local.get $c10) (local.get $c11) (local.get $acc))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $st8 (local.get $c) (local.get $c20) (local.get $c21) (local.get $acc))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $st8 (local.get $c) (local.get $c30) (local.get $c31) (local.get $acc)))

  ;; 4 rows x one panel, n (1..4) valid columns.
  (func $t4x4 (param $a i32) (param $lda i32) (param $b i32) (param $c i32) (param $ldc i32) (param $k i32)
    (param $acc i32) (param $n i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $end i32) (local $p v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $lda)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $lda)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $lda)))
    (local.set $end (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 4))))
    (loop $k
      (local.set $p (v128.load (local.get $b)))
      (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load32_splat (local.get $a)) (local.get $p))))
      (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (v128.load32_splat (local.get $a1)) (local.get $p))))
      (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (v128.load32_splat (local.get $a2)) (local.get $p))))
      (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (v128.load32_splat (local.get $a3)) (local.get $p))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
      (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
      (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $k (i32.lt_u (local.get $b) (local.get $end))))
    (call $st4 (local.get $c) (local.get $c0) (local.get $n) (local.get $acc))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $st4 (local.get $c) (local.get $c1) (local.get $n) (local.get $acc))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $st4 (local.get $c) (local.get $c2) (local.get $n) (local.get $acc))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $st4 (local.get $c) (local.get $c3) (local.get $n) (local.get $acc)))

  ;; 1 row x 8 columns. Depth unrolled by 2 into separate accumulators: a single row has too few independent
  ;; additions to hide the add latency otherwise (this is the matrix-vector path of streaming, B = 1).
  (func $t1x8 (param $a i32) (param $b i32) (param $bs i32) (param $c i32) (param $k i32) (param $acc i32)
    (local $b2 i32) (local $end i32) (local $x v128)
    (local $u0 v128) (local $v0 v128) (local $u1 v128) (local $v1 v128)
    (local.set $b2 (i32.add (local.get $b) (local.get $bs)))
    (local.set $end (i32.add (local.get $b) (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 4))))
    (block $pairs_done
      (br_if $pairs_done (i32.ge_u (local.get $b) (local.get $end)))
      (loop $k2
        (local.set $x (v128.load32_splat (local.get $a)))
        (local.set $u0 (f32x4.add (local.get $u0) (f32x4.mul (local.get $x) (v128.load (local.get $b)))))
        (local.set $v0 (f32x4.add (local.get $v0) (f32x4.mul (local.get $x) (v128.load (local.get $b2)))))
        (local.set $x (v128.load32_splat offset=4 (local.get $a)))
        (local.set $u1 (f32x4.add (local.get $u1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $b)))))
        (local.set $v1 (f32x4.add (local.get $v1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $b2)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (local.set $b2 (i32.add (local.get $b2) (i32.const 32)))
        (br_if $k2 (i32.lt_u (local.get $b) (local.get $end)))))
    (if (i32.and (local.get $k) (i32.const 1))
      (then
        (local.set $x (v128.load32_splat (local.get $a)))
        (local.set $u0 (f32x4.add (local.get $u0) (f32x4.mul (local.get $x) (v128.load (local.get $b)))))
        (local.set $v0 (f32x4.add (local.get $v0) (f32x4.mul (local.get $x) (v128.load (local.get $b2)))))))
    (call $st8 (local.get $c) (f32x4.add (local.get $u0) (local.get $u1)) (f32x4.add (local.get $v0) (local.get $v1))
      (local.get $acc)))

  ;; 1 row x one panel, n (1..4) valid columns.
  (func $t1x4 (param $a i32) (param $b i32) (param $c i32) (param $k i32) (param $acc i32) (param $n i32)
    (local $end i32) (local $u v128)
    (local.set $end (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 4))))
    (loop $k
      (local.set $u (f32x4.add (local.get $u) (f32x4.mul (v128.load32_splat (local.get $a)) (v128.load (local.get $b)))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $k (i32.lt_u (local.get $b) (local.get $end))))
    (call $st4 (local.get $c) (local.get $u) (local.get $n) (local.get $acc)))

  ;; dst[K, M] = transpose of src[M, K] (row-major, leading dimension lds floats): turns a transposed left
  ;; operand into the row-major form the kernel reads (O(M*K), next to the product's O(M*N*K)). 4x4 blocks
  ;; go through registers (two rounds of shuffles); the ragged right and bottom edges go one float at a time.
  (func (export "transpose") (param $src i32) (param $lds i32) (param $M i32) (param $K i32) (param $dst i32)
    (local $i i32) (local $k i32) (local $s i32) (local $d i32) (local $ldd i32) (local $M4 i32) (local $K4 i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $lds (i32.shl (local.get $lds) (i32.const 2)))
    (local.set $ldd (i32.shl (local.get $M) (i32.const 2)))
    (local.set $M4 (i32.and (local.get $M) (i32.const -4)))
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (block $i_done
      (loop $i_loop
        (br_if $i_done (i32.ge_s (local.get $i) (local.get $M4)))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $k_loop
            (br_if $k_done (i32.ge_s (local.get $k) (local.get $K4)))
            (local.set $s (i32.add (local.get $src)
              (i32.add (i32.mul (local.get $i) (local.get $lds)) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $r0 (v128.load (local.get $s)))
            (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $lds))))
            (local.set $r2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $lds) (i32.const 1)))))
            (local.set $r3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $lds) (i32.const 3)))))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            (local.set $d (i32.add (local.get $dst)
              (i32.add (i32.mul (local.get $k) (local.get $ldd)) (i32.shl (local.get $i) (i32.const 2)))))
            (v128.store (local.get $d)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (local.get $ldd))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (i32.shl (local.get $ldd) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $d) (i32.mul (local.get $ldd) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $k_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $i_loop)))
    (local.set $i (i32.const 0))
    (block $e_done
      (loop $e_loop
        (br_if $e_done (i32.ge_s (local.get $i) (local.get $M)))
        (local.set $k (select (local.get $K4) (i32.const 0) (i32.lt_s (local.get $i) (local.get $M4))))
        (block $ek_done
          (loop $ek_loop
            (br_if $ek_done (i32.ge_s (local.get $k) (local.get $K)))
            (f32.store
              (i32.add (local.get $dst) (i32.add (i32.mul (local.get $k) (local.get $ldd)) (i32.shl (local.get $i) (i32.const 2))))
              (f32.load
                (i32.add (local.get $src) (i32.add (i32.mul (local.get $i) (local.get $lds)) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $ek_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $e_loop))))

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

  ;; 1 / (1 + e^-x) = 1 / (2 + (e^-x - 1)).
  (func $sigmoid (param $x v128) (result v128)
    (f32x4.div (f32x4.splat (f32.const 1))
      (f32x4.add (f32x4.splat (f32.const 2)) (call $expm1 (f32x4.neg (local.get $x))))))

  ;; tanh x = sign(x) * m / (m + 2) with m = e^(2|x|) - 1.
  (func $tanh (param $x v128) (result v128)
    (local $m v128)
    (local.set $m (call $expm1 (f32x4.add (f32x4.abs (local.get $x)) (f32x4.abs (local.get $x)))))
    (v128.or
      (f32x4.div (local.get $m) (f32x4.add (local.get $m) (f32x4.splat (f32.const 2))))
      (v128.and (local.get $x) (i32x4.splat (i32.const 0x80000000)))))

  ;; Lane-wise sigmoid (fn = 0) or tanh (fn = 1) of n floats (n a multiple of 4) from src to dst (tests).
  (func (export "activate") (param $src i32) (param $dst i32) (param $n i32) (param $fn i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $v (v128.load (local.get $src)))
      (v128.store (local.get $dst)
        (if (result v128) (local.get $fn) (then (call $tanh (local.get $v))) (else (call $sigmoid (local.get $v)))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
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

  ;; One LSTM cell update of one sample, H (a multiple of 4) units, gate order i, f, g, o:
  ;; pre = g + bias; c' = s(f)*c + s(i)*tanh(g); h' = s(o)*tanh(c'); writes c, h, y. When record, the
  ;; activated gates replace the pre-activations, and c (before) and tanh(c') go to cp and tc.
  (func $cell (param $g i32) (param $bias i32) (param $c i32) (param $h i32) (param $y i32) (param $H i32)
    (param $cp i32) (param $tc i32) (param $record i32)
    (local $hb i32) (local $end i32)
    (local $i v128) (local $f v128) (local $gg v128) (local $o v128) (local $cv v128) (local $cn v128) (local $t v128)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $end (i32.add (local.get $c) (local.get $hb)))
    (loop $j
      (local.set $i (call $sigmoid (f32x4.add (v128.load (local.get $g)) (v128.load (local.get $bias)))))
      (local.set $f (call $sigmoid (f32x4.add (v128.load (i32.add (local.get $g) (local.get $hb)))
        (v128.load (i32.add (local.get $bias) (local.get $hb))))))
      (local.set $gg (call $tanh (f32x4.add (v128.load (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1))))
        (v128.load (i32.add (local.get $bias) (i32.shl (local.get $hb) (i32.const 1)))))))
      (local.set $o (call $sigmoid (f32x4.add (v128.load (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3))))
        (v128.load (i32.add (local.get $bias) (i32.mul (local.get $hb) (i32.const 3)))))))
      (local.set $cv (v128.load (local.get $c)))
      (local.set $cn (f32x4.add (f32x4.mul (local.get $f) (local.get $cv)) (f32x4.mul (local.get $i) (local.get $gg))))
      (local.set $t (call $tanh (local.get $cn)))
      (v128.store (local.get $c) (local.get $cn))
      (v128.store (local.get $h) (f32x4.mul (local.get $o) (local.get $t)))
      (v128.store (local.get $y) (f32x4.mul (local.get $o) (local.get $t)))
      (if (local.get $record)
        (then
          (v128.store (local.get $g) (local.get $i))
          (v128.store (i32.add (local.get $g) (local.get $hb)) (local.get $f))
          (v128.store (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1))) (local.get $gg))
          (v128.store (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3))) (local.get $o))
          (v128.store (local.get $cp) (local.get $cv))
          (v128.store (local.get $tc) (local.get $t))
          (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
          (local.set $tc (i32.add (local.get $tc) (i32.const 16)))))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $bias (i32.add (local.get $bias) (i32.const 16)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $h (i32.add (local.get $h) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br_if $j (i32.lt_u (local.get $c) (local.get $end)))))

  ;; One LSTM direction over T steps of B samples (H a multiple of 4). gates [T, B, 4H] holds the input
  ;; projection; whh is W_hh^T packed (panel stride bs bytes); h, c [B, H] are the initial states and end as the
  ;; final ones; y [T, B, H]; lens [B] (i32). Sample b is active at step t iff t < lens[b]; reverse walks t
  ;; down. When record: hprev, cprev, tc [T, B, H] keep h and c before each step and tanh(c') (see $cell).
  (func (export "lstm_forward")
    (param $T i32) (param $B i32) (param $H i32) (param $gates i32) (param $bias i32) (param $whh i32) (param $bs i32)
    (param $h i32) (param $c i32) (param $y i32) (param $lens i32) (param $hprev i32) (param $cprev i32)
    (param $tc i32) (param $record i32) (param $reverse i32)
    (local $s i32) (local $t i32) (local $b i32) (local $maxL i32) (local $hb i32) (local $step i32) (local $row i32)
    (local $gt i32)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $step (i32.mul (local.get $B) (local.get $hb)))
    (local.set $maxL (call $max_len (local.get $lens) (local.get $B)))
    (block $done (loop $steps
      (br_if $done (i32.ge_s (local.get $s) (local.get $T)))
      (local.set $t (select (i32.sub (i32.sub (local.get $T) (i32.const 1)) (local.get $s)) (local.get $s)
        (local.get $reverse)))
      (local.set $row (i32.mul (local.get $t) (local.get $step)))
      (if (i32.ge_s (local.get $t) (local.get $maxL))
        (then
          (memory.fill (i32.add (local.get $y) (local.get $row)) (i32.const 0) (local.get $step))
          (if (local.get $record)
            (then (memory.fill (i32.add (local.get $hprev) (local.get $row)) (i32.const 0) (local.get $step)))))
        (else
          (local.set $gt (i32.add (local.get $gates) (i32.shl (local.get $row) (i32.const 2))))
          (if (local.get $record)
            (then (memory.copy (i32.add (local.get $hprev) (local.get $row)) (local.get $h) (local.get $step))))
          (call $gemm (local.get $B) (local.get $H) (i32.shl (local.get $H) (i32.const 2)) (local.get $h) (local.get $H)
            (local.get $whh) (local.get $bs) (local.get $gt) (i32.shl (local.get $H) (i32.const 2)) (i32.const 1))
          (local.set $b (i32.const 0))
          (block $b_done (loop $bl
            (br_if $b_done (i32.ge_s (local.get $b) (local.get $B)))
            (if (i32.lt_s (local.get $t) (i32.load (i32.add (local.get $lens) (i32.shl (local.get $b) (i32.const 2)))))
              (then
                (call $cell
                  (i32.add (local.get $gt) (i32.shl (i32.mul (local.get $b) (local.get $hb)) (i32.const 2)))
                  (local.get $bias)
                  (i32.add (local.get $c) (i32.mul (local.get $b) (local.get $hb)))
                  (i32.add (local.get $h) (i32.mul (local.get $b) (local.get $hb)))
                  (i32.add (i32.add (local.get $y) (local.get $row)) (i32.mul (local.get $b) (local.get $hb)))
                  (local.get $H)
                  (i32.add (i32.add (local.get $cprev) (local.get $row)) (i32.mul (local.get $b) (local.get $hb)))
                  (i32.add (i32.add (local.get $tc) (local.get $row)) (i32.mul (local.get $b) (local.get $hb)))
                  (local.get $record)))
              (else
                (memory.fill (i32.add (i32.add (local.get $y) (local.get $row)) (i32.mul (local.get $b) (local.get $hb)))
                  (i32.const 0) (local.get $hb))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bl)))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $steps))))

  ;; Packs the row-major [K, N] matrix at src (leading dimension ld floats) into 4-column panels at dst (panel
  ;; stride bs bytes, layout of $gemm's B), zero-filling the padding columns of the last panel.
  (func (export "pack") (param $src i32) (param $ld i32) (param $K i32) (param $N i32) (param $dst i32) (param $bs i32)
    (local $k i32) (local $j i32) (local $N4 i32) (local $s i32) (local $d i32)
    (local.set $N4 (i32.and (local.get $N) (i32.const -4)))
    (local.set $ld (i32.shl (local.get $ld) (i32.const 2)))
    (block $k_done
      (loop $k_loop
        (br_if $k_done (i32.ge_s (local.get $k) (local.get $K)))
        (local.set $s (i32.add (local.get $src) (i32.mul (local.get $k) (local.get $ld))))
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 4))))
        (local.set $j (i32.const 0))
        (block $j_done
          (loop $j_loop
            (br_if $j_done (i32.ge_s (local.get $j) (local.get $N4)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (local.get $bs)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $j_loop)))
        (if (i32.lt_s (local.get $N4) (local.get $N))
          (then
            (v128.store (local.get $d) (v128.const i32x4 0 0 0 0))
            (block $t_done
              (loop $t_loop
                (br_if $t_done (i32.ge_s (local.get $j) (local.get $N)))
                (f32.store (local.get $d) (f32.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (i32.const 4)))
                (local.set $d (i32.add (local.get $d) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $t_loop)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $k_loop))))

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
