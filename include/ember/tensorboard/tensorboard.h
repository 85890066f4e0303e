// ember::tensorboard: TensorBoard logging (torch.utils.tensorboard).
#pragma once

#include "ember/tensorboard/summary_writer.h"
