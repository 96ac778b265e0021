// Absorbing Markov chain quantities (see include/dealstat/stats/absorbing_chain.hpp).
#include "dealstat/stats/absorbing_chain.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <string>

#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {
namespace {
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void check_entries(std::span<const double> m, const char* name) {
  for (double v : m)
    if (!(v >= 0.0 && v <= 1.0)) throw Error::bad_option(name, std::to_string(v), "entries must be probabilities in [0, 1]");
}

std::vector<double> to_vector(const RowMatrix& m) { return {m.data(), m.data() + m.size()}; }
}  // namespace

AbsorbingChainResult absorbing_chain(std::span<const double> q, std::span<const double> r, std::size_t transient,
                                     std::size_t absorbing) {
  if (q.size() != transient * transient)
    throw Error::bad_option("q", std::to_string(q.size()) + " values",
                            "expected transient^2 = " + std::to_string(transient * transient));
  if (r.size() != transient * absorbing)
    throw Error::bad_option("r", std::to_string(r.size()) + " values",
                            "expected transient * absorbing = " + std::to_string(transient * absorbing));
  check_entries(q, "q");
  check_entries(r, "r");
  const auto t = static_cast<Eigen::Index>(transient);
  const auto a = static_cast<Eigen::Index>(absorbing);
  const Eigen::Map<const RowMatrix> Q(q.data(), t, t);
  const Eigen::Map<const RowMatrix> R(r.data(), t, a);
  for (Eigen::Index i = 0; i < t; ++i) {
    const double row = Q.row(i).sum() + (a > 0 ? R.row(i).sum() : 0.0);
    if (row > 1.0 + 1e-9)
      throw Error::bad_option("q", "row " + std::to_string(i) + " sums to " + std::to_string(row),
                              "each row of [Q R] must sum to at most 1");
  }
  AbsorbingChainResult out;
  out.transient = transient;
  out.absorbing = absorbing;
  if (transient == 0) return out;
  const Eigen::MatrixXd I_minus_Q = Eigen::MatrixXd::Identity(t, t) - Eigen::MatrixXd(Q);
  Eigen::FullPivLU<Eigen::MatrixXd> lu(I_minus_Q);
  lu.setThreshold(1e-12);
  if (!lu.isInvertible())
    throw Error::bad_option("q", "I - Q singular", "some transient states can never reach an absorbing state");
  const RowMatrix N = lu.inverse();
  const RowMatrix B = N * R;
  const Eigen::VectorXd steps = N.rowwise().sum();
  const Eigen::VectorXd var =
      (2.0 * N - RowMatrix::Identity(t, t)) * steps - steps.cwiseProduct(steps);
  out.fundamental = to_vector(N);
  out.absorption = to_vector(B);
  out.expected_steps.assign(steps.data(), steps.data() + t);
  out.steps_variance.assign(var.data(), var.data() + t);
  return out;
}

}  // namespace v1
}  // namespace dealstat
