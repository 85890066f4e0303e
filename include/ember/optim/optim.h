// ember::optim: every optimizer and learning-rate scheduler (the umbrella header).
#pragma once

#include "ember/optim/optimizer.h"
#include "ember/optim/adadelta.h"
#include "ember/optim/adagrad.h"
#include "ember/optim/adam.h"
#include "ember/optim/adamax.h"
#include "ember/optim/lr_scheduler.h"
#include "ember/optim/nadam.h"
#include "ember/optim/radam.h"
#include "ember/optim/rmsprop.h"
#include "ember/optim/rprop.h"
#include "ember/optim/sgd.h"
#include "ember/optim/sparse_adam.h"
