// dealstat version: the one place the version is written. CMake, the C ABI and
// the Python package all read it from here.
#pragma once

#define DEALSTAT_VERSION_MAJOR 0
#define DEALSTAT_VERSION_MINOR 1
#define DEALSTAT_VERSION_PATCH 0
//! Version as one comparable integer: major * 10000 + minor * 100 + patch.
#define DEALSTAT_VERSION_NUMBER \
  (DEALSTAT_VERSION_MAJOR * 10000 + DEALSTAT_VERSION_MINOR * 100 + DEALSTAT_VERSION_PATCH)

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {
//! The library's version string at run time ("0.1.0"), which may differ from the header's.
DEALSTAT_API const char* version_string() noexcept;
}  // namespace v1
}  // namespace dealstat
