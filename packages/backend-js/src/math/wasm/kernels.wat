;; WebAssembly SIMD kernels of backend-js: the matrix product, transpose and packing. The recurrent time loops
;; are separate modules (lstm.wat, gru.wat, simple.wat) that import this one's memory and gemm: each module
;; stays under the 4 KiB that browsers compile synchronously on the main thread. Compiled by
;; scripts/build-wasm.ts into kernels-bytes.ts (never edit that file by hand). Pointers are byte offsets into
;; the exported memory; matrix strides are in floats unless a name ends in "b" (bytes).
;;
;; Packed right operand (same layout as math/gemm.ts): panels of 4 columns, element (k, j) of panel p at
;; b + p*bs + k*16 + (j&3)*4, where bs = 16*K is the panel stride of the full matrix (a depth block starting at
;; k0 passes b + k0*16 and the same bs; a column block starting at a multiple of 4, j0, passes b + (j0/4)*bs).
(module
  (memory (export "memory") 1)

  ;; C[M, N] (+)= A[M, K] * B. A row-major (lda floats), C row-major (ldc floats). K >= 1, M, N >= 0.
  ;; Columns outer, rows inner: a pair of B panels (K*32 bytes) stays in L1 while the rows stream by.
  (func $gemm (export "gemm")
    (param $M i32) (param $K i32) (param $N i32) (param $a i32) (param $lda i32) (param $b i32) (param $bs i32)
    (param $c i32) (param $ldc i32) (param $acc i32)
    (local $j i32) (local $i i32) (local $pa i32) (local $pc i32) (local $pb i32) (local $nv i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 i32) (local $b1 i32) (local $end i32)
    (local $x v128) (local $p v128) (local $q v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
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
                  (then
                    ;; The 4x8 tile: 8 accumulators, 2 B vectors, 1 broadcast A value. Written out here rather
                    ;; than called: V8 does not inline wasm calls, and this is where products spend their time
                    ;; (bench/gemm-kernel.ts: the per-step product of an LSTM went from 29 to 40 GFLOP/s).
                    (local.set $a0 (local.get $pa))
                    (local.set $a1 (i32.add (local.get $pa) (local.get $lda)))
                    (local.set $a2 (i32.add (local.get $a1) (local.get $lda)))
                    (local.set $a3 (i32.add (local.get $a2) (local.get $lda)))
                    (local.set $b0 (local.get $pb))
                    (local.set $b1 (i32.add (local.get $pb) (local.get $bs)))
                    (local.set $end (i32.add (local.get $pb) (i32.shl (local.get $K) (i32.const 4))))
                    (local.set $c00 (v128.const i32x4 0 0 0 0))
                    (local.set $c01 (local.get $c00))
                    (local.set $c10 (local.get $c00))
                    (local.set $c11 (local.get $c00))
                    (local.set $c20 (local.get $c00))
                    (local.set $c21 (local.get $c00))
                    (local.set $c30 (local.get $c00))
                    (local.set $c31 (local.get $c00))
                    (loop $k
                      (local.set $p (v128.load (local.get $b0)))
                      (local.set $q (v128.load (local.get $b1)))
                      (local.set $x (v128.load32_splat (local.get $a0)))
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
                      (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
                      (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
                      (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
                      (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
                      (local.set $b1 (i32.add (local.get $b1) (i32.const 16)))
                      (local.set $b0 (i32.add (local.get $b0) (i32.const 16)))
                      (br_if $k (i32.lt_u (local.get $b0) (local.get $end))))
                    ;; C rows at pc, pc + ldc, ... (a0..a3 are free again: they address them).
                    (local.set $a1 (i32.add (local.get $pc) (local.get $ldc)))
                    (local.set $a2 (i32.add (local.get $a1) (local.get $ldc)))
                    (local.set $a3 (i32.add (local.get $a2) (local.get $ldc)))
                    (if (local.get $acc)
                      (then
                        (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $pc))))
                        (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $pc))))
                        (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $a1))))
                        (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $a1))))
                        (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $a2))))
                        (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $a2))))
                        (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $a3))))
                        (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $a3))))))
                    (v128.store (local.get $pc) (local.get $c00))
                    (v128.store offset=16 (local.get $pc) (local.get $c01))
                    (v128.store (local.get $a1) (local.get $c10))
                    (v128.store offset=16 (local.get $a1) (local.get $c11))
                    (v128.store (local.get $a2) (local.get $c20))
                    (v128.store offset=16 (local.get $a2) (local.get $c21))
                    (v128.store (local.get $a3) (local.get $c30))
                    (v128.store offset=16 (local.get $a3) (local.get $c31)))
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

  ;; Packs the row-major [K, N] matrix at src (leading dimension ld floats) into 4-column panels at dst (panel
  ;; stride bs bytes, layout of $gemm's B), zero-filling the padding columns of the last panel. Four panels
  ;; (16 columns: a 64-byte line of a row) at a time, walking the K rows once per group: whole lines read, four
  ;; sequential write streams. Row by row across all panels wrote one vector to every panel per row (one
  ;; write stream per panel), 5x slower on the weight gradients' tall [rows, H + D + 1] operand.
  (func (export "pack") (param $src i32) (param $ld i32) (param $K i32) (param $N i32) (param $dst i32) (param $bs i32)
    (local $k i32) (local $j i32) (local $N4 i32) (local $s i32) (local $d i32) (local $t i32) (local $g i32)
    (local $d1 i32) (local $d2 i32) (local $d3 i32) (local $end i32)
    (local.set $N4 (i32.and (local.get $N) (i32.const -4)))
    (local.set $ld (i32.shl (local.get $ld) (i32.const 2)))
    ;; whole groups of 4 panels
    (block $j_done
      (loop $j_loop
        (br_if $j_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $N4)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $d (i32.add (local.get $dst) (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $bs))))
        (local.set $d1 (i32.add (local.get $d) (local.get $bs)))
        (local.set $d2 (i32.add (local.get $d1) (local.get $bs)))
        (local.set $d3 (i32.add (local.get $d2) (local.get $bs)))
        (local.set $end (i32.add (local.get $d) (i32.shl (local.get $K) (i32.const 4))))
        (block $k_done
          (br_if $k_done (i32.ge_u (local.get $d) (local.get $end)))
          (loop $k_loop
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (v128.store (local.get $d1) (v128.load offset=16 (local.get $s)))
            (v128.store (local.get $d2) (v128.load offset=32 (local.get $s)))
            (v128.store (local.get $d3) (v128.load offset=48 (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $ld)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $d1 (i32.add (local.get $d1) (i32.const 16)))
            (local.set $d2 (i32.add (local.get $d2) (i32.const 16)))
            (local.set $d3 (i32.add (local.get $d3) (i32.const 16)))
            (br_if $k_loop (i32.lt_u (local.get $d) (local.get $end)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $j_loop)))
    ;; the remaining whole panels, one at a time
    (block $p_done
      (loop $p_loop
        (br_if $p_done (i32.ge_s (local.get $j) (local.get $N4)))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $d (i32.add (local.get $dst) (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $bs))))
        (local.set $end (i32.add (local.get $d) (i32.shl (local.get $K) (i32.const 4))))
        (block $k2_done
          (br_if $k2_done (i32.ge_u (local.get $d) (local.get $end)))
          (loop $k2_loop
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $ld)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br_if $k2_loop (i32.lt_u (local.get $d) (local.get $end)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $p_loop)))
    ;; the last, partial panel: zero padding columns
    (if (i32.lt_s (local.get $N4) (local.get $N))
      (then
        (local.set $d (i32.add (local.get $dst) (i32.mul (i32.shr_u (local.get $N4) (i32.const 2)) (local.get $bs))))
        (local.set $s (i32.add (local.get $src) (i32.shl (local.get $N4) (i32.const 2))))
        (block $t_done (loop $t_loop
          (br_if $t_done (i32.ge_s (local.get $k) (local.get $K)))
          (v128.store (local.get $d) (v128.const i32x4 0 0 0 0))
          (local.set $t (i32.const 0))
          (block $c_done (loop $c_loop
            (br_if $c_done (i32.ge_s (local.get $t) (i32.sub (local.get $N) (local.get $N4))))
            (f32.store (i32.add (local.get $d) (i32.shl (local.get $t) (i32.const 2)))
              (f32.load (i32.add (local.get $s) (i32.shl (local.get $t) (i32.const 2)))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $c_loop)))
          (local.set $s (i32.add (local.get $s) (local.get $ld)))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $t_loop))))))

)
