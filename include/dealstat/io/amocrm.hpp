// Importing an amoCRM (Kommo) REST API v4 export (SPEC section 11): a folder
// of saved API responses, one or more JSON pages per endpoint
// (`{"_page":1, "_links":{...}, "_embedded":{"leads":[...]}}`), a page per
// file or a JSON array of pages per file. docs/amocrm.md names the files, the
// endpoints and fields read, and every rule applied to messy exports (events
// kept for a limited time, deleted leads, closed_at 0, stale loss reasons,
// created_by 0 = automation, ...).
//
// Stage history comes from `lead_status_changed` events (a move to another
// pipeline is one such event), the event log from every event. Every problem
// names the file, the record (its 1-based position in its page) and the JSON
// path (`$._embedded.leads[17].price`) with the value as written.
//
// The writer does the reverse: API-shaped pages from a Dataset, so a dataset
// can be turned into fixtures and read back.
#pragma once

#include <cstdint>
#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/core/export.hpp"
#include "dealstat/data/dataset_builder.hpp"

namespace dealstat {
inline namespace v1 {

//! Reads an amoCRM API v4 export folder into a builder; throws Error(io) for an unreadable folder or file.
//! Malformed JSON throws Error(parse) under strict; under lenient the page is left out and listed.
//! A record with a value of the wrong type is the error (strict) or left out and listed (lenient).
DEALSTAT_API void read_amocrm(const std::string& dir, DatasetBuilder& builder, ValidationPolicy policy,
                              Problems& problems);

//! Loads an amoCRM API v4 export folder and builds the dataset (reader problems first, then the builder's).
DEALSTAT_API BuildResult import_amocrm(const std::string& dir, ValidationPolicy policy = ValidationPolicy::strict);

//! How write_amocrm lays out its pages.
struct AmocrmWriteOptions {
  std::int64_t page_size = 250;     //!< records per page (the API's largest `limit`)
  std::int64_t pages_per_file = 1;  //!< 1 = a page per file (`leads_1.json`); more = a JSON array of pages per file
};

//! Writes a dataset as an amoCRM API v4 export folder (creating it) that read_amocrm reads back; throws Error(io).
DEALSTAT_API void write_amocrm(const Dataset& dataset, const std::string& dir, const AmocrmWriteOptions& options = {});

}  // namespace v1
}  // namespace dealstat
