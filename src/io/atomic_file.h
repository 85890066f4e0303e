// Crash-safe file replacement, shared by every writer of whole files (ember::save, save_npy).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ember::io::detail {

// Writes `pieces`, one after another, as the file at `path`: into a temporary file in the same
// folder ("<path>.tmp-<random>"), flushed to the disk (fsync), then renamed over `path`, and the
// folder flushed too. A reader, or a process restarted after a crash or a power cut, finds the
// old file or the new one whole, never a mix. On failure (disk full, no permission, a folder
// that does not exist) the temporary file is removed, `path` is left as it was, and an
// ember::Error names `op` ("save: cannot create ...", "save: writing ... failed: ...").
// Only a process killed while writing leaves its temporary file behind: nothing runs then.
void write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces,
                           const char* op);

}  // namespace ember::io::detail
