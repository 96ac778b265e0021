// Tests for absorbing Markov chains.
#include "dealstat/stats/absorbing_chain.hpp"

#include <gtest/gtest.h>

#include "dealstat/core/error.hpp"

using namespace dealstat;

TEST(AbsorbingChain, DrunkardsWalk) {
  // Grinstead & Snell, Example 11.13: states 0..4, 0 and 4 absorbing, step +-1 with prob 1/2.
  // N = [[1.5,1,.5],[1,2,1],[.5,1,1.5]], B = [[.75,.25],[.5,.5],[.25,.75]], t = N1 = [3,4,3].
  // Var = (2N - I)t - t^2: (2N - I) = [[2,2,1],[2,3,2],[1,2,2]] -> (2N-I)t = [17,24,17] -> [8,8,8].
  const std::vector<double> q = {0, .5, 0, .5, 0, .5, 0, .5, 0};
  const std::vector<double> r = {.5, 0, 0, 0, 0, .5};
  const auto c = absorbing_chain(q, r, 3, 2);
  const double n[] = {1.5, 1, .5, 1, 2, 1, .5, 1, 1.5};
  const double b[] = {.75, .25, .5, .5, .25, .75};
  for (int i = 0; i < 9; ++i) EXPECT_NEAR(c.fundamental[i], n[i], 1e-14);
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(c.absorption[i], b[i], 1e-14);
  const double t[] = {3, 4, 3};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(c.expected_steps[i], t[i], 1e-13);
    EXPECT_NEAR(c.steps_variance[i], 8.0, 1e-12);
  }
}

TEST(AbsorbingChain, FunnelWithWonAndLost) {
  // Two open stages: stage 1 -> stage 2 (0.6) or lost (0.4); stage 2 -> won (0.5), lost (0.3), back (0.2).
  // P(won | 2) = 0.5 + 0.2 * 0.6 * P(won | 2) -> 0.5 / 0.88; P(won | 1) = 0.6 * P(won | 2).
  const std::vector<double> q = {0, .6, .2, 0};
  const std::vector<double> r = {0, .4, .5, .3};
  const auto c = absorbing_chain(q, r, 2, 2);
  EXPECT_NEAR(c.absorption[2], 0.5 / 0.88, 1e-14);
  EXPECT_NEAR(c.absorption[0], 0.6 * 0.5 / 0.88, 1e-14);
  EXPECT_NEAR(c.absorption[0] + c.absorption[1], 1.0, 1e-14);
}

TEST(AbsorbingChain, RejectsBadInput) {
  auto field_of = [](auto f) -> std::string {
    try {
      f();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_option);
      return e.problem().field;
    }
    return "no throw";
  };
  // A closed loop between two transient states with no exit: I - Q singular.
  EXPECT_EQ(field_of([] { absorbing_chain(std::vector<double>{0, 1, 1, 0}, std::vector<double>{0, 0}, 2, 1); }), "q");
  EXPECT_EQ(field_of([] { absorbing_chain(std::vector<double>{0.5}, std::vector<double>{1.5}, 1, 1); }), "r");
  EXPECT_EQ(field_of([] { absorbing_chain(std::vector<double>{0.7}, std::vector<double>{0.7}, 1, 1); }), "q");
  EXPECT_EQ(field_of([] { absorbing_chain(std::vector<double>{0.5, 0.5}, std::vector<double>{0.5}, 1, 1); }), "q");
}
