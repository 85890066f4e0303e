// ember::metrics: torchmetrics in C++ (stateful metrics, their functional forms, collections).
#pragma once

#include "ember/metrics/agreement.h"
#include "ember/metrics/aggregation.h"
#include "ember/metrics/classification.h"
#include "ember/metrics/collection.h"
#include "ember/metrics/functional.h"
#include "ember/metrics/metric.h"
#include "ember/metrics/ranking.h"
#include "ember/metrics/regression.h"
