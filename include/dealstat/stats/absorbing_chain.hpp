// Absorbing Markov chains: deals move between open stages (transient states)
// until they are won or lost (absorbing states). From the transient-to-
// transient matrix Q and transient-to-absorbing matrix R: the fundamental
// matrix N = (I - Q)^-1 (expected visits), absorption probabilities B = N R
// and the expected number of steps before absorption t = N 1.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! What an absorbing chain implies; matrices are row-major.
struct AbsorbingChainResult {
  std::size_t transient = 0;             //!< number of transient states t
  std::size_t absorbing = 0;             //!< number of absorbing states a
  std::vector<double> fundamental;       //!< N = (I - Q)^-1, t x t: expected visits to j starting from i
  std::vector<double> absorption;        //!< B = N R, t x a: probability of ending in absorbing j from i
  std::vector<double> expected_steps;    //!< t = N 1: expected steps before absorption, per start state
  std::vector<double> steps_variance;    //!< (2N - I) t - t*t: variance of the number of steps
};

//! Solves the chain. `q` is t x t, `r` is t x a, both row-major with entries in [0, 1] and each
//! row of [Q R] summing to at most 1 (+1e-9); mass missing from a row leaves the chain unobserved.
//! Throws Error(invalid_option) naming "q" or "r" for bad sizes/entries, and "q" when I - Q is
//! singular (some transient states can never be absorbed).
DEALSTAT_API AbsorbingChainResult absorbing_chain(std::span<const double> q, std::span<const double> r,
                                                  std::size_t transient, std::size_t absorbing);

}  // namespace v1
}  // namespace dealstat
