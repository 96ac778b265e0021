// The Python handle of a built Dataset (class dealstat._core.Dataset) and the
// result of a load (the dataset plus the problems a lenient load left out).
#pragma once

#include "common.hpp"
#include "dealstat/core/error.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/data/dataset_builder.hpp"

namespace dealstat_py {

//! Shared, immutable dataset; reports borrow it with the GIL released.
struct PyDataset {
  dealstat::DatasetPtr ptr;  //!< never null
};

//! Parses "strict" | "lenient"; raises OptionError naming "policy".
dealstat::ValidationPolicy parse_policy(const std::string& s);

//! (dataset, problems as a list of dicts) from a BuildResult.
py::tuple wrap_build(dealstat::BuildResult&& r);

}  // namespace dealstat_py
