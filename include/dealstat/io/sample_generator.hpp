// The built-in sample account: a deterministic generator (same seed, same
// data) of a realistic CRM account, used as the default data everywhere and
// as a source whose true process is known (the forecast's backtest relies on
// it). Two pipelines with an unsorted stage, 5-8 open stages, won and lost;
// managers of different skill and speed in groups; channels mail, forms, sip,
// chats; weekly and yearly seasonality and a trend; skipped stages, moves
// backward, reopened deals, moves between pipelines, loss reasons, tags;
// tasks (some overdue), contacts, companies, customers with purchases,
// invoices; unsorted items accepted, declined and pending; an event log.
// Time and memory grow linearly with the number of deals.
#pragma once

#include <cstdint>
#include <string>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/data/dataset_builder.hpp"

namespace dealstat {
inline namespace v1 {

//! What to generate.
struct SampleOptions {
  std::int64_t deals = 20000;                   //!< number of deals
  std::uint64_t seed = 42;                      //!< random seed
  std::int64_t start_s = 1672531200;            //!< first creation instant (2023-01-01T00:00:00Z)
  std::int64_t end_s = 1735689600;              //!< as-of of the account (2025-01-01T00:00:00Z)
  std::string time_zone = "Europe/Moscow";      //!< account time zone
  bool events = true;                           //!< also generate the event log
};

//! Fills a builder with the sample account.
DEALSTAT_API void generate_sample(const SampleOptions& options, DatasetBuilder& builder);

//! Generates and builds the sample dataset in memory (no files).
DEALSTAT_API DatasetPtr make_sample(const SampleOptions& options = {});

}  // namespace v1
}  // namespace dealstat
