#pragma once
// Scores of predictions against labels.
#include <vector>

namespace nesy::learn {

// confusion[true][predicted]
using ConfusionMatrix = std::vector<std::vector<long>>;
ConfusionMatrix confusionMatrix(const std::vector<int>& truth, const std::vector<int>& predicted, int classes);
double accuracy(const ConfusionMatrix& c);
// Mean recall over the classes that occur in the truth.
double balancedAccuracy(const ConfusionMatrix& c);
// Mean F1 over the classes that occur in the truth or the predictions.
double macroF1(const ConfusionMatrix& c);
double rmse(const std::vector<float>& truth, const std::vector<float>& predicted);

} // namespace nesy::learn
