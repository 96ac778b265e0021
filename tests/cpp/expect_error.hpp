// Checks of bad options for the report tests: a call must throw
// Error(invalid_option) whose problem names the option (the project's rule
// that a bad option names itself).
//
//   expect_bad_option([&] { funnel(*ds, o); }, "pipeline");
//   EXPECT_EQ(option_of([&] { employees(*ds, o); }), "rank_by");
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "dealstat/core/error.hpp"

namespace dealstat::test {

//! The option (problem field) named by the Error(invalid_option) that f throws; "no throw" when f returns.
//! Another error code fails the test (and still returns the field).
inline std::string option_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_option) << e.what();
    return e.problem().field;
  }
  return "no throw";
}

//! Checks that f throws Error(invalid_option) whose problem names `field`.
inline void expect_bad_option(const std::function<void()>& f, const std::string& field) {
  EXPECT_EQ(option_of(f), field) << "expected Error(invalid_option) naming " << field;
}

}  // namespace dealstat::test
