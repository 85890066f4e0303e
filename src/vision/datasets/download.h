// Downloads for the datasets (download=true): libcurl, mirrors tried in order, MD5-checked.
#pragma once

#include <string>
#include <vector>

namespace ember::vision::datasets::detail {

// Makes <folder>/<filename> a file whose MD5 is `md5`: an existing one with that MD5 is kept
// (never downloaded again), else each mirror + filename is fetched in turn until one gives
// those bytes. Returns "" on success, else one line per failed attempt.
std::string fetch_archive(const std::vector<std::string>& mirrors, const std::string& filename,
                          const std::string& md5, const std::string& folder);

}  // namespace ember::vision::datasets::detail
