// ember::vision (torchvision): images, transforms and datasets.
#pragma once

#include "ember/vision/conversion.h"
#include "ember/vision/image.h"
#include "ember/vision/transform.h"
