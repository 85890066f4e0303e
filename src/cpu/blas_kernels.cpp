// CPU kernels for matrix products: float32/float64 through CBLAS (operands read in place as
// transposes and leading dimensions whenever their layout allows; the larger float32 products
// through oneDNN's sgemm when ember is built with it), the other dtypes through a blocked C++
// loop (integers wrap around in their own width, 16-bit floats accumulate in float).
//
// Results never depend on the number of threads: ember splits the work itself (batches, blocks
// of rows or columns of the result, chunks of a dot product) into pieces that depend on the
// sizes only, and every BLAS call runs on one thread.
#include <cblas.h>
#include <omp.h>
#ifdef EMBER_HAVE_ONEDNN
#include <oneapi/dnnl/dnnl.h>
#endif

#include <algorithm>
#include <climits>
#include <type_traits>
#include <vector>

#include "cpu/loops.h"
#include "ember/core/parallel.h"
#include "ember/core/tensor.h"
#include "ops/dispatch.h"

namespace ember::detail {

namespace {

// ---- threads and sizes ---------------------------------------------------------------------

// Every BLAS call here runs on one thread: ember cuts the work into pieces itself (see
// matmul_blas). OpenBLAS's OpenMP build and oneDNN run a call on as many threads as the calling
// thread's OpenMP setting (omp_get_max_threads; a single one inside a parallel region), so this
// guard sets that to 1 for the calling thread while it lives. With another BLAS it does no harm.
class SingleThreadedBlas {
public:
    SingleThreadedBlas() : previous_(omp_get_max_threads()) {
        if (previous_ != 1) omp_set_num_threads(1);
    }
    ~SingleThreadedBlas() {
        if (previous_ != 1) omp_set_num_threads(previous_);
    }
    SingleThreadedBlas(const SingleThreadedBlas&) = delete;
    SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

private:
    int previous_;
};

// Matrix-vector products are split into blocks of this many outputs, each one BLAS call on one
// thread: fixed blocks keep every output's summation the same for any number of threads.
constexpr int64_t kGemvBlock = 128;
// Dot products are summed in chunks of this many elements, combined in order.
constexpr int64_t kDotChunk = 8192;
// From this many multiply-adds on, one matrix product is cut into blocks for threads.
constexpr int64_t kSplitGemm = int64_t(1) << 21;

bool fits_blas_int(int64_t v) { return v >= 0 && v <= INT_MAX; }

// ---- geometry -----------------------------------------------------------------------------

// The trailing two dims of an operand: element (i, j) is at data[i * rs + j * cs].
struct Matrix {
    int64_t rows, cols, rs, cs;
};

Matrix matrix_of(const Tensor& t) {
    int64_t d = t.dim();
    return {t.size(d - 2), t.size(d - 1), t.stride(d - 2), t.stride(d - 1)};
}

// How CBLAS (row-major interface) can read a matrix in place: as stored (NoTrans, rows of
// `ld` elements) or as the transpose of a row-major matrix (Trans). A dim of size 1 has no
// meaningful stride, so it never prevents a layout.
struct BlasLayout {
    bool ok = false;
    CBLAS_TRANSPOSE trans = CblasNoTrans;
    int64_t ld = 1;
};

BlasLayout blas_layout(const Matrix& m) {
    BlasLayout l;
    if ((m.cs == 1 || m.cols <= 1) && (m.rows <= 1 || m.rs >= std::max<int64_t>(1, m.cols))) {
        l.ok = true;
        l.trans = CblasNoTrans;
        l.ld = m.rows <= 1 ? std::max<int64_t>(1, m.cols) : m.rs;
    } else if ((m.rs == 1 || m.rows <= 1) &&
               (m.cols <= 1 || m.cs >= std::max<int64_t>(1, m.rows))) {
        l.ok = true;
        l.trans = CblasTrans;
        l.ld = m.cols <= 1 ? std::max<int64_t>(1, m.rows) : m.cs;
    }
    l.ok = l.ok && fits_blas_int(l.ld);
    return l;
}

// Walks the batch dims (all but the last two) of the contiguous output and the two operands.
struct Batch {
    DimVector sizes, a_strides, b_strides;
    int64_t count = 1;

    Batch(const Tensor& out, const Tensor& a, const Tensor& b) {
        for (int64_t d = 0; d + 2 < out.dim(); ++d) {
            sizes.push_back(out.size(d));
            a_strides.push_back(a.stride(d));
            b_strides.push_back(b.stride(d));
            count *= out.size(d);
        }
    }
    // Element offsets of matrix `index` in a and b.
    void offsets(int64_t index, int64_t& a_off, int64_t& b_off) const {
        a_off = b_off = 0;
        for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
            int64_t i = index % sizes[d];
            index /= sizes[d];
            a_off += i * a_strides[d];
            b_off += i * b_strides[d];
        }
    }
};

// ---- the C++ loop (integers, 16-bit floats, and BLAS's fallback) ----------------------------

// The accumulator: float for the 16-bit floats; for integers, an unsigned type at least 32 bits
// wide, whose wrap-around gives the same low bits as PyTorch's arithmetic in the operand type
// (and is defined behaviour, unlike signed overflow).
template <class T>
struct LoopAcc {
    using type = T;
};
template <>
struct LoopAcc<Half> {
    using type = float;
};
template <>
struct LoopAcc<BFloat16> {
    using type = float;
};
template <class T>
    requires std::is_integral_v<T>
struct LoopAcc<T> {
    using type = std::conditional_t<(sizeof(T) > 4), uint64_t, uint32_t>;
};

template <class T>
typename LoopAcc<T>::type to_acc(T v) {
    using Acc = typename LoopAcc<T>::type;
    if constexpr (std::is_integral_v<T>)
        return static_cast<Acc>(static_cast<std::make_signed_t<Acc>>(v));  // sign-extend
    else
        return static_cast<Acc>(v);
}

template <class T>
typename LoopAcc<T>::type scalar_acc(const Scalar& s) {
    using Acc = typename LoopAcc<T>::type;
    if constexpr (std::is_integral_v<T>)  // PyTorch truncates beta and alpha for integer dtypes
        return static_cast<Acc>(static_cast<std::make_signed_t<Acc>>(s.to_int64()));
    else
        return static_cast<Acc>(s.to_double());
}

// out *= beta over a contiguous out (beta == 0 writes zeros, whatever out held): the product
// of an empty contraction.
template <class T>
void scale_output(const Tensor& out, const Scalar& beta_s) {
    using Acc = typename LoopAcc<T>::type;
    const Acc beta = scalar_acc<T>(beta_s);
    T* o = out.data_ptr<T>();
    for (int64_t i = 0, n = out.numel(); i < n; ++i)
        o[i] = static_cast<T>(beta == Acc(0) ? Acc(0) : beta * to_acc(o[i]));
}

constexpr int64_t kLoopRows = 64;   // rows of the result per task
constexpr int64_t kLoopCols = 64;   // columns of the result per task
constexpr int64_t kLoopDepth = 256; // steps of the contraction per packed block of b

// out[i, j] = beta * out[i, j] + alpha * sum_k a[i, k] b[k, j], summed over k in order. A task
// is a 64 x 64 tile of one result matrix; b is packed (converted to the accumulator type) in
// 256 x 64 blocks that all rows of the tile reuse.
template <class T>
void matmul_loop(const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& beta_s,
                 const Scalar& alpha_s) {
    using Acc = typename LoopAcc<T>::type;
    const Matrix ma = matrix_of(a), mb = matrix_of(b);
    const int64_t M = ma.rows, K = ma.cols, N = mb.cols;
    const Batch batch(out, a, b);
    const Acc beta = scalar_acc<T>(beta_s), alpha = scalar_acc<T>(alpha_s);
    const T* a_base = a.data_ptr<T>();
    const T* b_base = b.data_ptr<T>();
    T* out_base = out.data_ptr<T>();
    const int64_t row_tasks = (M + kLoopRows - 1) / kLoopRows;
    const int64_t col_tasks = (N + kLoopCols - 1) / kLoopCols;
    const int64_t tasks = batch.count * row_tasks * col_tasks;
    const int64_t work_per_task = std::min(M, kLoopRows) * std::min(N, kLoopCols) * K;
    const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, work_per_task));
    parallel_for(0, tasks, grain, [&](int64_t begin, int64_t end) {
        std::vector<Acc> packed(static_cast<size_t>(kLoopDepth * kLoopCols));
        std::vector<Acc> acc(static_cast<size_t>(kLoopRows * kLoopCols));
        for (int64_t task = begin; task < end; ++task) {
            const int64_t col_task = task % col_tasks;
            const int64_t row_task = (task / col_tasks) % row_tasks;
            const int64_t index = task / (col_tasks * row_tasks);
            int64_t a_off, b_off;
            batch.offsets(index, a_off, b_off);
            const T* ap = a_base + a_off;
            const T* bp = b_base + b_off;
            const int64_t j0 = col_task * kLoopCols, nj = std::min(kLoopCols, N - j0);
            const int64_t i0 = row_task * kLoopRows, ni = std::min(kLoopRows, M - i0);
            std::fill(acc.begin(), acc.end(), Acc(0));
            for (int64_t k0 = 0; k0 < K; k0 += kLoopDepth) {
                const int64_t nk = std::min(kLoopDepth, K - k0);
                for (int64_t k = 0; k < nk; ++k)
                    for (int64_t j = 0; j < nj; ++j)
                        packed[k * nj + j] = to_acc(bp[(k0 + k) * mb.rs + (j0 + j) * mb.cs]);
                for (int64_t i = 0; i < ni; ++i) {
                    Acc* row_acc = acc.data() + i * nj;
                    const T* arow = ap + (i0 + i) * ma.rs + k0 * ma.cs;
                    for (int64_t k = 0; k < nk; ++k) {
                        const Acc av = to_acc(arow[k * ma.cs]);
                        const Acc* brow = packed.data() + k * nj;
                        for (int64_t j = 0; j < nj; ++j) row_acc[j] += av * brow[j];
                    }
                }
            }
            T* tile = out_base + index * M * N + i0 * N + j0;
            for (int64_t i = 0; i < ni; ++i) {
                for (int64_t j = 0; j < nj; ++j) {
                    Acc v = alpha * acc[i * nj + j];
                    if (beta != Acc(0)) v += beta * to_acc(tile[i * N + j]);
                    tile[i * N + j] = static_cast<T>(v);
                }
            }
        }
    });
}

template <class T>
void dot_loop(const Tensor& out, const Tensor& a, const Tensor& b) {
    using Acc = typename LoopAcc<T>::type;
    const int64_t n = a.numel(), sa = a.stride(0), sb = b.stride(0);
    const T* ap = a.data_ptr<T>();
    const T* bp = b.data_ptr<T>();
    const int64_t chunks = std::max<int64_t>(1, (n + kDotChunk - 1) / kDotChunk);
    std::vector<Acc> partial(static_cast<size_t>(chunks), Acc(0));
    parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end; ++c) {
            Acc s = 0;
            for (int64_t i = c * kDotChunk, e = std::min(n, i + kDotChunk); i < e; ++i)
                s += to_acc(ap[i * sa]) * to_acc(bp[i * sb]);
            partial[c] = s;
        }
    });
    Acc total = 0;
    for (Acc p : partial) total += p;
    *out.data_ptr<T>() = static_cast<T>(total);
}

// ---- BLAS (float32, float64) ----------------------------------------------------------------

template <class T>
struct Blas;

#ifdef EMBER_HAVE_ONEDNN
// From this many multiply-adds on, a float32 product goes to oneDNN's sgemm (its JIT kernels)
// instead of OpenBLAS. One thread each, on this project's benchmark machine (AVX-512, OpenBLAS
// 0.3.21, oneDNN 2.6), best of 3,000 calls: oneDNN 1.1-2x faster from here on (64x256x784 108
// against 84 GFLOP/s, 256x784x64 130 against 106, 16x256x256 123 against 60, 1024^3 115
// against 107), slower below it, where a fixed cost of microseconds dominates (64x64x64 4.9
// against 3.9 us, 64x10x256 14 against 5 us).
constexpr int64_t kOneDnnMinWork = int64_t(1) << 19;
#endif

template <>
struct Blas<float> {
    static void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k,
                     float alpha, const float* a, int64_t lda, const float* b, int64_t ldb,
                     float beta, float* c, int64_t ldc) {
#ifdef EMBER_HAVE_ONEDNN
        // Same row-major convention; it runs on the calling thread's OpenMP setting (one
        // thread here, see SingleThreadedBlas). OpenBLAS takes over should it ever refuse.
        if (m * n * k >= kOneDnnMinWork &&
            dnnl_sgemm(ta == CblasTrans ? 'T' : 'N', tb == CblasTrans ? 'T' : 'N', m, n, k, alpha,
                       a, lda, b, ldb, beta, c, ldc) == dnnl_success)
            return;
#endif
        cblas_sgemm(CblasRowMajor, ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b,
                    int(ldb), beta, c, int(ldc));
    }
    static void gemv(CBLAS_TRANSPOSE t, int64_t m, int64_t n, float alpha, const float* a,
                     int64_t lda, const float* x, int64_t incx, float beta, float* y) {
        cblas_sgemv(CblasRowMajor, t, int(m), int(n), alpha, a, int(lda), x, int(incx), beta, y, 1);
    }
    static float dot(int64_t n, const float* x, int64_t incx, const float* y, int64_t incy) {
        return cblas_sdot(int(n), x, int(incx), y, int(incy));
    }
};

template <>
struct Blas<double> {
    static void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k,
                     double alpha, const double* a, int64_t lda, const double* b, int64_t ldb,
                     double beta, double* c, int64_t ldc) {
        cblas_dgemm(CblasRowMajor, ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b,
                    int(ldb), beta, c, int(ldc));
    }
    static void gemv(CBLAS_TRANSPOSE t, int64_t m, int64_t n, double alpha, const double* a,
                     int64_t lda, const double* x, int64_t incx, double beta, double* y) {
        cblas_dgemv(CblasRowMajor, t, int(m), int(n), alpha, a, int(lda), x, int(incx), beta, y, 1);
    }
    static double dot(int64_t n, const double* x, int64_t incx, const double* y, int64_t incy) {
        return cblas_ddot(int(n), x, int(incx), y, int(incy));
    }
};

// y = alpha * op(A) x + beta * y over `outputs` outputs, cut into fixed blocks of 128 outputs,
// each one single-threaded BLAS call, shared out between threads (one call for several blocks
// could sum differently). `outputs_are_rows`: output i is row i of the row-major matrix
// (NoTrans), else its column i (Trans).
template <class T>
void blocked_gemv(bool outputs_are_rows, int64_t outputs, int64_t inner, T alpha, const T* mat,
                  int64_t ld, const T* x, int64_t incx, T beta, T* y) {
    const int64_t blocks = (outputs + kGemvBlock - 1) / kGemvBlock;
    const int64_t work = std::max<int64_t>(1, kGemvBlock * inner);
    const int64_t grain = std::max<int64_t>(1, kGrainSize / work);
    parallel_for(0, blocks, grain, [&](int64_t begin, int64_t end) {
        SingleThreadedBlas one_thread;
        for (int64_t blk = begin; blk < end; ++blk) {
            const int64_t o0 = blk * kGemvBlock, n = std::min(kGemvBlock, outputs - o0);
            if (outputs_are_rows)
                Blas<T>::gemv(CblasNoTrans, n, inner, alpha, mat + o0 * ld, ld, x, incx, beta,
                              y + o0);
            else
                Blas<T>::gemv(CblasTrans, inner, n, alpha, mat + o0, ld, x, incx, beta, y + o0);
        }
    });
}

template <class T>
void matmul_blas(const Tensor& out, const Tensor& a_in, const Tensor& b_in, const Scalar& beta_s,
                 const Scalar& alpha_s) {
    Tensor a = a_in, b = b_in;
    Matrix ma = matrix_of(a), mb = matrix_of(b);
    const int64_t M = ma.rows, K = ma.cols, N = mb.cols;
    if (!fits_blas_int(M) || !fits_blas_int(N) || !fits_blas_int(K))
        return matmul_loop<T>(out, a, b, beta_s, alpha_s);
    const T beta = static_cast<T>(beta_s.to_double()), alpha = static_cast<T>(alpha_s.to_double());
    BlasLayout la = blas_layout(ma), lb = blas_layout(mb);
    // A layout BLAS cannot read (a broadcast row, a step in both dims) is copied, once.
    if (!la.ok) {
        a = a.contiguous();
        ma = matrix_of(a);
        la = blas_layout(ma);
    }
    if (!lb.ok) {
        b = b.contiguous();
        mb = matrix_of(b);
        lb = blas_layout(mb);
    }
    EMBER_ASSERT(la.ok && lb.ok, "contiguous matrices must suit BLAS");
    const Batch batch(out, a, b);
    const T* a_base = a.data_ptr<T>();
    const T* b_base = b.data_ptr<T>();
    T* out_base = out.data_ptr<T>();

    // A column vector on the right (N == 1) or a row vector on the left (M == 1): gemv, whose
    // vector operand needs a nonzero stride (the 1-element dims of a matrix may have any).
    const bool column_rhs = N == 1 && (K <= 1 || mb.rs != 0) && fits_blas_int(mb.rs);
    const bool row_lhs = !column_rhs && M == 1 && (K <= 1 || ma.cs != 0) && fits_blas_int(ma.cs);
    if (column_rhs || row_lhs) {
        for (int64_t index = 0; index < batch.count; ++index) {
            int64_t a_off, b_off;
            batch.offsets(index, a_off, b_off);
            T* y = out_base + index * M * N;
            if (column_rhs)  // y[M] = A x
                blocked_gemv<T>(la.trans == CblasNoTrans, M, K, alpha, a_base + a_off, la.ld,
                                b_base + b_off, std::max<int64_t>(1, mb.rs), beta, y);
            else  // y[N] = B^T x
                blocked_gemv<T>(lb.trans == CblasTrans, N, K, alpha, b_base + b_off, lb.ld,
                                a_base + a_off, std::max<int64_t>(1, ma.cs), beta, y);
        }
        return;
    }

    // A large product is cut into blocks of rows of the result (of columns when it is wider than
    // tall), in multiples of 64, each one single-threaded BLAS call, and the batch times the
    // blocks is shared out between threads. The cut depends on the sizes only, so that every
    // element is computed the same way for any number of threads. (OpenBLAS's own threading
    // blocks the contraction differently from its single-threaded path, and even one call for
    // two neighbouring blocks can round differently from two calls, so neither is used.)
    // Every block's call packs the whole other operand again, so blocks are few: one per 1024
    // rows, at least 2 and at most 8. Measured on 2 cores at 256 to 2048: two row blocks reach
    // 0.95-1.0 of OpenBLAS's own two threads; four blocks, or column blocks, lose 5-15 %.
    const bool split_rows = M >= N;
    const int64_t side = split_rows ? M : N;
    int64_t width = side;
    if (M * N * K >= kSplitGemm && side >= 128) {
        const int64_t blocks = std::clamp<int64_t>(side / 1024, 2, 8);
        width = ((side + blocks - 1) / blocks + 63) / 64 * 64;
    }
    const int64_t blocks = (side + width - 1) / width;
    const int64_t tasks = batch.count * blocks;
    const int64_t work = M * N * K / blocks;
    const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, work));
    parallel_for(0, tasks, grain, [&](int64_t begin, int64_t end) {
        SingleThreadedBlas one_thread;
        for (int64_t task = begin; task < end; ++task) {
            const int64_t index = task / blocks, start = task % blocks * width;
            const int64_t len = std::min(width, side - start);
            int64_t a_off, b_off;
            batch.offsets(index, a_off, b_off);
            T* c = out_base + index * M * N;
            if (split_rows) {  // rows [start, start + len) of a and of the result
                a_off += la.trans == CblasNoTrans ? start * la.ld : start;
                c += start * N;
                Blas<T>::gemm(la.trans, lb.trans, len, N, K, alpha, a_base + a_off, la.ld,
                              b_base + b_off, lb.ld, beta, c, std::max<int64_t>(1, N));
            } else {  // columns [start, start + len) of b and of the result
                b_off += lb.trans == CblasNoTrans ? start : start * lb.ld;
                c += start;
                Blas<T>::gemm(la.trans, lb.trans, M, len, K, alpha, a_base + a_off, la.ld,
                              b_base + b_off, lb.ld, beta, c, std::max<int64_t>(1, N));
            }
        }
    });
}

template <class T>
void dot_blas(const Tensor& out, const Tensor& a, const Tensor& b) {
    const int64_t n = a.numel();
    int64_t sa = a.stride(0), sb = b.stride(0);
    if (!fits_blas_int(sa) || !fits_blas_int(sb)) return dot_loop<T>(out, a, b);
    const T* ap = a.data_ptr<T>();
    const T* bp = b.data_ptr<T>();
    const int64_t chunks = (n + kDotChunk - 1) / kDotChunk;
    std::vector<T> partial(static_cast<size_t>(chunks), T(0));
    parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
        SingleThreadedBlas one_thread;
        for (int64_t c = begin; c < end; ++c) {
            const int64_t i = c * kDotChunk, len = std::min(kDotChunk, n - i);
            partial[c] = Blas<T>::dot(len, ap + i * sa, sa, bp + i * sb, sb);
        }
    });
    T total = 0;
    for (T p : partial) total += p;
    *out.data_ptr<T>() = total;
}

// ---- entry points ---------------------------------------------------------------------------

void matmul_kernel(const Tensor& out, const Tensor& a, const Tensor& b, const Scalar& beta,
                   const Scalar& alpha) {
    EMBER_ASSERT(out.is_contiguous() && a.dtype() == out.dtype() && b.dtype() == out.dtype());
    if (out.numel() == 0) return;
    const int64_t K = a.size(-1);
    visit_dtype(out.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, bool>) {
            EMBER_ASSERT(false, "matmul kernel called for bool");
        } else if (K == 0) {
            scale_output<T>(out, beta);
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
            matmul_blas<T>(out, a, b, beta, alpha);
        } else {
            matmul_loop<T>(out, a, b, beta, alpha);
        }
    });
}

void dot_kernel(const Tensor& out, const Tensor& a, const Tensor& b) {
    visit_dtype(out.dtype(), [&](auto tag) {
        using T = typename decltype(tag)::type;
        if constexpr (std::is_same_v<T, bool>) {
            EMBER_ASSERT(false, "dot kernel called for bool");
        } else if (a.numel() == 0) {
            *out.data_ptr<T>() = T(0);
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
            dot_blas<T>(out, a, b);
        } else {
            dot_loop<T>(out, a, b);
        }
    });
}

}  // namespace

void register_cpu_blas_kernels(Kernels& k) {
    k.matmul = matmul_kernel;
    k.dot = dot_kernel;
}

}  // namespace ember::detail
