// ember::data: datasets, samplers, the DataLoader, default_collate and a progress bar.
#pragma once

#include "ember/data/collate.h"
#include "ember/data/csv_dataset.h"
#include "ember/data/dataloader.h"
#include "ember/data/dataset.h"
#include "ember/data/progress.h"
#include "ember/data/sampler.h"
