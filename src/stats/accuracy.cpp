// Forecast accuracy metrics and calibration (see include/dealstat/stats/accuracy.hpp).
#include "dealstat/stats/accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/wilson.hpp"

namespace dealstat {
inline namespace v1 {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_pair(std::span<const double> y_true, std::span<const double> y_pred) {
  if (y_true.size() != y_pred.size())
    throw Error::bad_option("y_pred", std::to_string(y_pred.size()) + " values",
                            "expected as many as y_true (" + std::to_string(y_true.size()) + ")");
  if (y_true.empty()) throw Error::bad_option("y_true", "empty", "needs at least one point");
  for (double v : y_true)
    if (!std::isfinite(v)) throw Error::bad_option("y_true", std::to_string(v), "must be finite");
  for (double v : y_pred)
    if (!std::isfinite(v)) throw Error::bad_option("y_pred", std::to_string(v), "must be finite");
}

void check_probabilities(std::span<const double> p, std::span<const std::uint8_t> outcomes) {
  if (p.size() != outcomes.size())
    throw Error::bad_option("outcomes", std::to_string(outcomes.size()) + " values",
                            "expected one per probability (" + std::to_string(p.size()) + ")");
  for (double v : p)
    if (!(v >= 0.0 && v <= 1.0)) throw Error::bad_option("p", std::to_string(v), "must be in [0, 1]");
  for (auto o : outcomes)
    if (o > 1) throw Error::bad_option("outcomes", std::to_string(o), "must be 0 or 1");
}

}  // namespace

double mape(std::span<const double> y_true, std::span<const double> y_pred) {
  check_pair(y_true, y_pred);
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    if (y_true[i] == 0.0) continue;
    sum += std::fabs(y_true[i] - y_pred[i]) / std::fabs(y_true[i]);
    ++n;
  }
  return n == 0 ? kNaN : sum / static_cast<double>(n);
}

double smape(std::span<const double> y_true, std::span<const double> y_pred) {
  check_pair(y_true, y_pred);
  double sum = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const double den = std::fabs(y_true[i]) + std::fabs(y_pred[i]);
    if (den > 0.0) sum += 2.0 * std::fabs(y_true[i] - y_pred[i]) / den;
  }
  return sum / static_cast<double>(y_true.size());
}

double mase(std::span<const double> y_true, std::span<const double> y_pred, std::span<const double> y_train,
            std::size_t m) {
  check_pair(y_true, y_pred);
  if (m == 0) throw Error::bad_option("m", "0", "the seasonal period must be at least 1");
  if (y_train.size() <= m)
    throw Error::bad_option("y_train", std::to_string(y_train.size()) + " values",
                            "needs more than m = " + std::to_string(m) + " points");
  double scale = 0.0;
  for (std::size_t t = m; t < y_train.size(); ++t) {
    if (!std::isfinite(y_train[t])) throw Error::bad_option("y_train", std::to_string(y_train[t]), "must be finite");
    scale += std::fabs(y_train[t] - y_train[t - m]);
  }
  scale /= static_cast<double>(y_train.size() - m);
  double err = 0.0;
  for (std::size_t i = 0; i < y_true.size(); ++i) err += std::fabs(y_true[i] - y_pred[i]);
  err /= static_cast<double>(y_true.size());
  return err / scale;
}

std::vector<double> naive_forecast(std::span<const double> history, std::size_t horizon) {
  if (history.empty()) throw Error::bad_option("history", "empty", "needs at least one point");
  return std::vector<double>(horizon, history.back());
}

std::vector<double> seasonal_naive_forecast(std::span<const double> history, std::size_t horizon, std::size_t m) {
  if (m == 0) throw Error::bad_option("m", "0", "the seasonal period must be at least 1");
  if (history.size() < m)
    throw Error::bad_option("history", std::to_string(history.size()) + " values",
                            "needs at least one season (m = " + std::to_string(m) + ")");
  std::vector<double> out(horizon);
  const std::size_t start = history.size() - m;
  for (std::size_t h = 0; h < horizon; ++h) out[h] = history[start + h % m];
  return out;
}

double brier_score(std::span<const double> p, std::span<const std::uint8_t> outcomes) {
  check_probabilities(p, outcomes);
  if (p.empty()) return kNaN;
  double sum = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double d = p[i] - static_cast<double>(outcomes[i]);
    sum += d * d;
  }
  return sum / static_cast<double>(p.size());
}

std::vector<ReliabilityBin> reliability_table(std::span<const double> p, std::span<const std::uint8_t> outcomes,
                                              std::size_t bins, double confidence) {
  check_probabilities(p, outcomes);
  if (bins == 0) throw Error::bad_option("bins", "0", "needs at least one bin");
  std::vector<ReliabilityBin> table(bins);
  std::vector<double> sum_p(bins, 0.0);
  std::vector<std::int64_t> hits(bins, 0);
  const double nb = static_cast<double>(bins);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const auto b = std::min(static_cast<std::size_t>(std::floor(p[i] * nb)), bins - 1);
    ++table[b].count;
    sum_p[b] += p[i];
    hits[b] += outcomes[i];
  }
  for (std::size_t b = 0; b < bins; ++b) {
    auto& row = table[b];
    row.lower_edge = static_cast<double>(b) / nb;
    row.upper_edge = static_cast<double>(b + 1) / nb;
    const auto ci = wilson_interval(hits[b], row.count, confidence);
    row.ci_lower = ci.lower;
    row.ci_upper = ci.upper;
    if (row.count == 0) {
      row.mean_predicted = row.observed_rate = kNaN;
    } else {
      row.mean_predicted = sum_p[b] / static_cast<double>(row.count);
      row.observed_rate = static_cast<double>(hits[b]) / static_cast<double>(row.count);
    }
  }
  return table;
}

}  // namespace v1
}  // namespace dealstat
