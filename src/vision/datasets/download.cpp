// Downloads through libcurl (http, https and file URLs), checked against published MD5s.
#include "vision/datasets/download.h"

#include <curl/curl.h>

#include <filesystem>
#include <mutex>

#include "ember/core/error.h"
#include "vision/datasets/archive.h"
#include "vision/datasets/md5.h"

namespace ember::vision::datasets::detail {

namespace {

size_t append_body(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

// The body at `url`, or "" with `error` set.
std::string fetch_url(const std::string& url, std::string& error) {
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    CURL* curl = curl_easy_init();
    if (!curl) {
        error = "libcurl could not start";
        return {};
    }
    std::string body;
    char message[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);  // HTTP 4xx/5xx are failures
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "ember");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    const CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
        error = message[0] ? message : curl_easy_strerror(rc);
        return {};
    }
    return body;
}

}  // namespace

std::string fetch_archive(const std::vector<std::string>& mirrors, const std::string& filename,
                          const std::string& md5, const std::string& folder) {
    const std::string path = (std::filesystem::path(folder) / filename).string();
    if (file_exists(path) && md5_hex(read_file(path, "download")) == md5) return {};
    std::string failures;
    for (const std::string& mirror : mirrors) {
        const std::string url = mirror + filename;
        std::string error;
        std::string body = fetch_url(url, error);
        if (error.empty() && md5_hex(body) != md5)
            error = "MD5 " + md5_hex(body) + " of the " + std::to_string(body.size()) +
                    " bytes received differs from the expected " + md5;
        if (error.empty()) {
            write_file(path, body);
            return {};
        }
        failures += "  " + url + ": " + error + "\n";
    }
    return failures;
}

}  // namespace ember::vision::datasets::detail
