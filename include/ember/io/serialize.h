// Saving and loading tensors in the safetensors format (readable by any safetensors reader):
//
//   ember::save(model.state_dict(), "model.safetensors");
//   model.load_state_dict(ember::load("model.safetensors"));
//
// The file is written to a temporary file next to `path`, flushed to the disk and renamed over
// it: a save that fails (full disk, no permission) or is interrupted (crash, kill, power cut)
// leaves the previous file whole. Only a process killed mid-save leaves its temporary file,
// `<path>.tmp-<number>`, behind; it can be deleted.
#pragma once

#include <map>
#include <string>

#include "ember/core/ordered_dict.h"
#include "ember/core/tensor.h"

namespace ember {

// Writes the tensors (copied to the CPU, row-major) with optional string metadata.
void save(const OrderedDict<Tensor>& tensors, const std::string& path,
          const std::map<std::string, std::string>& metadata = {});
// Reads every tensor of a safetensors file (in the order of their data in the file).
OrderedDict<Tensor> load(const std::string& path);
// The string metadata of a safetensors file ("__metadata__"), empty when it has none.
std::map<std::string, std::string> load_metadata(const std::string& path);

}  // namespace ember
