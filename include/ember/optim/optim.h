// ember::optim: every optimizer and learning-rate scheduler (the umbrella header).
#pragma once

#include "ember/optim/optimizer.h"
#include "ember/optim/sgd.h"
