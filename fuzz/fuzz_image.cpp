// Image files (PNG, JPEG, BMP, GIF, PGM/PPM, TGA, through stb) with ember::vision::load_image;
// the read mode comes from the input's size, so the seeds stay plain image files.
#include "ember/vision/image_io.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using ember::vision::ImageReadMode;
    // Decoding is linear in the pixels a header declares, and some formats may declare many
    // more than their bytes hold (a GIF's screen, run-length TGA, PSD and HDR): at the default
    // limit one valid 2 KB file decodes for a minute under ASan. Fuzzing looks for memory
    // errors and hangs, not large images, so the harness lowers the limit as a user who takes
    // files from strangers would (the usual cap of image fuzzers); the limit's own check is
    // tested in tests/vision.
    ember::vision::set_max_image_pixels(int64_t{1} << 22);
    const std::string path = ember_fuzz::write_input("input.img", data, size);
    const ImageReadMode modes[] = {ImageReadMode::Unchanged, ImageReadMode::Gray,
                                   ImageReadMode::RGB};
    ember_fuzz::expect_only_ember_errors(path,
                                         [&] { ember::vision::load_image(path, modes[size % 3]); });
    return 0;
}
