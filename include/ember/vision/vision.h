// ember::vision (torchvision): images, transforms and datasets.
#pragma once

#include "ember/vision/color.h"
#include "ember/vision/conversion.h"
#include "ember/vision/geometry.h"
#include "ember/vision/datasets/datasets.h"
#include "ember/vision/image.h"
#include "ember/vision/image_io.h"
#include "ember/vision/transform.h"
