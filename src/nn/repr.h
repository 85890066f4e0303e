// The Python-text helpers (core/py_repr.h) under the names nn's module reprs use.
#pragma once

#include "core/py_repr.h"

namespace ember::nn {
using ember::detail::py_bool;
using ember::detail::py_float;
using ember::detail::py_tuple;
}  // namespace ember::nn
