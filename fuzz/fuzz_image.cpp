// Image files (PNG, JPEG, BMP, GIF, PGM/PPM, TGA, through stb) with ember::vision::load_image;
// the read mode comes from the input's size, so the seeds stay plain image files.
#include "ember/vision/image_io.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using ember::vision::ImageReadMode;
    const std::string path = ember_fuzz::write_input("input.img", data, size);
    const ImageReadMode modes[] = {ImageReadMode::Unchanged, ImageReadMode::Gray,
                                   ImageReadMode::RGB};
    ember_fuzz::expect_only_ember_errors(path,
                                         [&] { ember::vision::load_image(path, modes[size % 3]); });
    return 0;
}
