#include "Metrics.h"
#include <cmath>
#include <stdexcept>

namespace nesy::learn {

ConfusionMatrix confusionMatrix(const std::vector<int>& truth, const std::vector<int>& predicted, int classes)
{
    if (truth.size() != predicted.size())
        throw std::invalid_argument("confusion matrix: truth and predictions differ in count");
    ConfusionMatrix c(classes, std::vector<long>(classes, 0));
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] < 0 || truth[i] >= classes || predicted[i] < 0 || predicted[i] >= classes)
            throw std::invalid_argument("confusion matrix: class index out of range");
        ++c[truth[i]][predicted[i]];
    }
    return c;
}

double accuracy(const ConfusionMatrix& c)
{
    long right = 0, all = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
        for (std::size_t j = 0; j < c.size(); ++j) {
            all += c[i][j];
            if (i == j)
                right += c[i][j];
        }
    return all ? double(right) / double(all) : 0.0;
}

double balancedAccuracy(const ConfusionMatrix& c)
{
    double sum = 0;
    int present = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
        long row = 0;
        for (long v : c[i])
            row += v;
        if (row == 0)
            continue;
        sum += double(c[i][i]) / double(row);
        ++present;
    }
    return present ? sum / present : 0.0;
}

double macroF1(const ConfusionMatrix& c)
{
    double sum = 0;
    int present = 0;
    for (std::size_t k = 0; k < c.size(); ++k) {
        long tp = c[k][k], row = 0, col = 0;
        for (std::size_t j = 0; j < c.size(); ++j) {
            row += c[k][j];
            col += c[j][k];
        }
        if (row == 0 && col == 0)
            continue;
        sum += 2.0 * double(tp) / double(row + col);
        ++present;
    }
    return present ? sum / present : 0.0;
}

double rmse(const std::vector<float>& truth, const std::vector<float>& predicted)
{
    if (truth.size() != predicted.size() || truth.empty())
        throw std::invalid_argument("rmse: truth and predictions differ in count or are empty");
    double s = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const double d = double(truth[i]) - double(predicted[i]);
        s += d * d;
    }
    return std::sqrt(s / double(truth.size()));
}

} // namespace nesy::learn
