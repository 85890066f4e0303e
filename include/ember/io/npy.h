// NumPy .npy files: one tensor per file, readable and writable by numpy.save / numpy.load.
//
//   ember::io::save_npy(t, "t.npy");                          // row-major (C order)
//   ember::io::save_npy(t, "t.npy", {.fortran_order = true});  // column-major
//   Tensor u = ember::io::load_npy("t.npy");                   // any C/Fortran-order file
//
// Every ember dtype except bfloat16 (which NumPy lacks) maps to a NumPy one ('<f2' is float16).
// Files are written as ember::save writes them (include/ember/io/serialize.h): a temporary file
// next to `path`, flushed to the disk and renamed over it.
#pragma once

#include <string>

#include "ember/core/tensor.h"

namespace ember::io {

struct NpySaveOptions {
    bool fortran_order = false;  // store the data column-major (NumPy's order='F')
};

// Writes `t` (copied to the CPU) in format 1.0, or 2.0 when the header needs more than 64 KiB.
void save_npy(const Tensor& t, const std::string& path, const NpySaveOptions& options = {});
// Reads a format 1.0, 2.0 or 3.0 file (either byte order) into a contiguous CPU tensor.
Tensor load_npy(const std::string& path);

}  // namespace ember::io
