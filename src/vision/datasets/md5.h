// MD5 (RFC 1321), to check downloaded archives and dataset files against published checksums.
#pragma once

#include <string>
#include <string_view>

namespace ember::vision::datasets::detail {

// The 32 lowercase hex digits of the MD5 of `bytes`.
std::string md5_hex(std::string_view bytes);

}  // namespace ember::vision::datasets::detail
