// Files and archives for the datasets: whole-file reads and writes, gzip streams, tar (ustar)
// and zip archives. Every error names the file and what is wrong with it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::vision::datasets::detail {

// The bytes of a file; `who` (the dataset or function) leads the message when it is unreadable.
std::string read_file(const std::string& path, const std::string& who);
// Writes `bytes` to `path` through a temporary file renamed into place, so a reader never sees
// a partial file; creates the parent folders.
void write_file(const std::string& path, std::string_view bytes);
bool file_exists(const std::string& path);

// Whether `bytes` begins with the gzip magic (1f 8b).
bool is_gzip(std::string_view bytes);
// The decompressed contents of a gzip stream (all its members); `path` names it in errors.
std::string gunzip(std::string_view bytes, const std::string& path);

// A member of an archive: its path inside the archive and its contents.
struct ArchiveMember {
    std::string name;
    std::string data;
};
// The regular files of a tar archive (ustar, GNU or pax headers; folders and links skipped).
std::vector<ArchiveMember> read_tar(std::string_view bytes, const std::string& path);
// The files of a zip archive (stored or deflated).
std::vector<ArchiveMember> read_zip(std::string_view bytes, const std::string& path);
// Writes the members under `folder`; a member whose name leaves the folder (absolute, "..") is
// an error naming `path`.
void extract_members(const std::vector<ArchiveMember>& members, const std::string& folder,
                     const std::string& path);

}  // namespace ember::vision::datasets::detail
