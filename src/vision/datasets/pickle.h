// A strict reader for the Python pickles of the CIFAR releases: protocol 2 (as Python 2's
// cPickle wrote them) or 3, holding dicts, lists, tuples, strings, integers, booleans, None and
// numpy arrays (numpy.core.multiarray._reconstruct with their raw bytes). Anything else is an
// error naming the file, the opcode and its offset.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ember::vision::datasets::detail {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

struct PickleValue {
    enum class Kind { None, Bool, Int, String, List, Tuple, Dict, Global, Array, DType, Reduce };
    Kind kind = Kind::None;
    int64_t integer = 0;               // Bool, Int
    std::string string;                // String (bytes; Python 2 str), Global ("module.name"),
                                       // Array (raw data), DType (numpy type string, e.g. "u1")
    std::vector<PickleRef> items;      // List, Tuple; Reduce: {callable, args}
    std::vector<std::pair<PickleRef, PickleRef>> entries;  // Dict, in file order
    std::vector<int64_t> shape;        // Array
    PickleRef dtype;                   // Array
    char byte_order = '|';             // DType: '<', '>' or '|'

    // The value under a string key of a Dict, or nullptr.
    PickleRef get(const std::string& key) const;
    const char* kind_name() const;
};

// The object a pickle holds; `path` names it in errors.
PickleRef read_pickle(const std::string& bytes, const std::string& path);

}  // namespace ember::vision::datasets::detail
