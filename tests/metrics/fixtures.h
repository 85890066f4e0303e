// Reading the torchmetrics fixtures (tests/golden/metrics_*.json) the metric tests share.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "support/golden.h"

namespace ember::test {

// The fixture file, loaded once per test binary run.
inline const json& metrics_fixture(const std::string& name) {
    static std::map<std::string, json> loaded;
    auto it = loaded.find(name);
    if (it == loaded.end()) it = loaded.emplace(name, load_golden(name)).first;
    return it->second;
}

// The (preds, target) pair stored under inputs/<name>.
inline std::pair<Tensor, Tensor> metrics_input(const json& fixture, const std::string& name) {
    const json& in = fixture["inputs"][name];
    return {tensor_from_json(in["preds"]), tensor_from_json(in["target"])};
}

// A case's ignore_index argument, if it has one.
inline std::optional<int64_t> ignore_index_of(const json& args) {
    if (args.contains("ignore_index")) return args["ignore_index"].get<int64_t>();
    return std::nullopt;
}

}  // namespace ember::test
