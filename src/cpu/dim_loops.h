// Walks a tensor as lines along one dim, for the kernels that need a whole line at a time
// (softmax, scans, max/min with indices). A line is the set of elements whose indices differ
// only along `dim`; lines are independent, so they run in parallel with identical results for
// any thread count.
#pragma once

#include <algorithm>
#include <cstdint>

#include "ember/core/error.h"
#include "ember/core/parallel.h"
#include "ember/core/tensor.h"

namespace ember::detail {

// Line geometry, in elements. The output is contiguous and has the input's rank: the same
// shape (softmax, scans) or size 1 along `dim` (reductions, out_step 0).
struct DimLines {
    int64_t length = 1;    // elements per line: the size along dim
    int64_t in_step = 0;   // input stride along dim
    int64_t out_step = 0;  // output stride along dim
    // The other dims of size > 1, the output's fastest first.
    DimVector shape, in_strides, out_strides;
    int64_t count = 1;  // number of lines

    // Neighbouring lines are neighbours in memory for input and output (the line dim is not
    // the innermost one): kernels then process a block of lines together, walking the lines in
    // step, which reads memory in order and vectorises across lines.
    bool blocked() const {
        return !shape.empty() && in_strides[0] == 1 && out_strides[0] == 1 && in_step != 1;
    }
};

inline DimLines make_dim_lines(const Tensor& out, const Tensor& in, int64_t dim) {
    DimLines lines;
    if (in.dim() == 0) return lines;
    lines.length = in.size(dim);
    lines.in_step = in.stride(dim);
    lines.out_step = out.size(dim) == in.size(dim) ? out.stride(dim) : 0;
    for (int64_t d = in.dim() - 1; d >= 0; --d) {
        if (d == dim || in.size(d) == 1) continue;
        lines.shape.push_back(in.size(d));
        lines.in_strides.push_back(in.stride(d));
        lines.out_strides.push_back(out.stride(d));
        lines.count *= in.size(d);
    }
    return lines;
}

// Calls f(in_offset, out_offset) for the lines [begin, end), in output order.
template <class F>
void walk_lines(const DimLines& lines, int64_t begin, int64_t end, const F& f) {
    const size_t nd = lines.shape.size();
    EMBER_ASSERT(nd <= 64);
    int64_t idx[64];
    int64_t in_off = 0, out_off = 0, rem = begin;
    for (size_t d = 0; d < nd; ++d) {
        idx[d] = rem % lines.shape[d];
        rem /= lines.shape[d];
        in_off += idx[d] * lines.in_strides[d];
        out_off += idx[d] * lines.out_strides[d];
    }
    for (int64_t i = begin; i < end; ++i) {
        f(in_off, out_off);
        for (size_t d = 0; d < nd; ++d) {
            in_off += lines.in_strides[d];
            out_off += lines.out_strides[d];
            if (++idx[d] < lines.shape[d]) break;
            in_off -= lines.shape[d] * lines.in_strides[d];
            out_off -= lines.shape[d] * lines.out_strides[d];
            idx[d] = 0;
        }
    }
}

// Lines per block in the blocked layout.
inline constexpr int64_t kLineBlock = 64;

// Runs every line: line(in_off, out_off) one at a time, or, when lines.blocked(),
// block(in_off, out_off, width) on runs of up to kLineBlock neighbouring lines. Parallel over
// lines (or blocks); each line is computed whole by one thread.
template <class LineFn, class BlockFn>
void for_each_line(const DimLines& lines, const LineFn& line, const BlockFn& block) {
    const int64_t length = std::max<int64_t>(lines.length, 1);
    if (lines.blocked()) {
        const int64_t n0 = lines.shape[0];
        const int64_t blocks_per_row = (n0 + kLineBlock - 1) / kLineBlock;
        const int64_t nblocks = (lines.count / n0) * blocks_per_row;
        const int64_t grain = std::max<int64_t>(1, kGrainSize / (length * kLineBlock));
        // The rows of the blocked dim are themselves lines of a DimLines without dim 0.
        DimLines rows = lines;
        rows.shape.erase(rows.shape.begin());
        rows.in_strides.erase(rows.in_strides.begin());
        rows.out_strides.erase(rows.out_strides.begin());
        parallel_for(0, nblocks, grain, [&](int64_t b, int64_t e) {
            for (int64_t blk = b; blk < e; ++blk) {
                const int64_t row = blk / blocks_per_row;
                const int64_t j0 = (blk % blocks_per_row) * kLineBlock;
                const int64_t width = std::min(kLineBlock, n0 - j0);
                walk_lines(rows, row, row + 1, [&](int64_t in_off, int64_t out_off) {
                    block(in_off + j0, out_off + j0, width);
                });
            }
        });
        return;
    }
    const int64_t grain = std::max<int64_t>(1, kGrainSize / length);
    parallel_for(0, lines.count, grain,
                 [&](int64_t b, int64_t e) { walk_lines(lines, b, e, line); });
}

}  // namespace ember::detail
