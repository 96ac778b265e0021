// Shared by the amoCRM reader and writer (private): the endpoints of an
// export, how their files are named, and amoCRM's fixed stage ids.
// docs/amocrm.md is the contract these follow.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace dealstat {
inline namespace v1 {
namespace detail {

//! The won status id in every amoCRM pipeline.
inline constexpr std::int64_t kAmoWon = 142;
//! The lost status id in every amoCRM pipeline.
inline constexpr std::int64_t kAmoLost = 143;
//! Status `type` of the unsorted stage.
inline constexpr std::int64_t kAmoUnsortedType = 1;

//! The endpoints read, in the order they are read (later ones need earlier ones).
enum class AmoEndpoint : std::uint8_t {
  account, users, pipelines, loss_reasons, sources, leads, events, unsorted, tasks, contacts, companies,
  customers, transactions, invoices
};
inline constexpr std::size_t kAmoEndpoints = 14;

//! One endpoint: its file names (longest first) and the key of its records under `_embedded`.
struct AmoEndpointDef {
  AmoEndpoint endpoint;                  //!< which
  std::array<std::string_view, 2> file;  //!< accepted file stems (second may be empty)
  std::string_view list;                 //!< `_embedded.<list>`; empty = the page is the record (account)
};

inline constexpr std::array<AmoEndpointDef, kAmoEndpoints> kAmoEndpointDefs = {{
    {AmoEndpoint::account, {"account", ""}, ""},
    {AmoEndpoint::users, {"users", ""}, "users"},
    {AmoEndpoint::pipelines, {"leads_pipelines", "pipelines"}, "pipelines"},
    {AmoEndpoint::loss_reasons, {"leads_loss_reasons", "loss_reasons"}, "loss_reasons"},
    {AmoEndpoint::sources, {"sources", ""}, "sources"},
    {AmoEndpoint::leads, {"leads", ""}, "leads"},
    {AmoEndpoint::events, {"events", ""}, "events"},
    {AmoEndpoint::unsorted, {"leads_unsorted", "unsorted"}, "unsorted"},
    {AmoEndpoint::tasks, {"tasks", ""}, "tasks"},
    {AmoEndpoint::contacts, {"contacts", ""}, "contacts"},
    {AmoEndpoint::companies, {"companies", ""}, "companies"},
    {AmoEndpoint::customers, {"customers", ""}, "customers"},
    {AmoEndpoint::transactions, {"customers_transactions", "transactions"}, "transactions"},
    {AmoEndpoint::invoices, {"invoices", ""}, "elements"},
}};

//! The definition of an endpoint.
inline const AmoEndpointDef& amo_def(AmoEndpoint e) { return kAmoEndpointDefs[static_cast<std::size_t>(e)]; }

//! The endpoint a file belongs to, from its name: `[api_v4_]<stem>[<sep><page>].json` where sep is one
//! of `_ - .` and page starts with a digit or "page" (`leads.json`, `leads_2.json`, `leads-page3.json`,
//! `api_v4_leads_unsorted_1.json`). Other names are not part of the export.
inline std::optional<AmoEndpoint> amo_endpoint_of(std::string_view name) {
  constexpr std::string_view ext = ".json";
  if (name.size() <= ext.size() || name.substr(name.size() - ext.size()) != ext) return std::nullopt;
  std::string_view stem = name.substr(0, name.size() - ext.size());
  if (stem.starts_with("api_v4_")) stem.remove_prefix(7);
  std::optional<AmoEndpoint> best;
  std::size_t best_len = 0;
  for (const auto& d : kAmoEndpointDefs) {
    for (std::string_view f : d.file) {
      if (f.empty() || !stem.starts_with(f) || f.size() <= best_len) continue;
      std::string_view rest = stem.substr(f.size());
      bool ok = rest.empty();
      if (!ok && (rest[0] == '_' || rest[0] == '-' || rest[0] == '.')) {
        rest.remove_prefix(1);
        ok = !rest.empty() && ((rest[0] >= '0' && rest[0] <= '9') || rest.starts_with("page"));
      }
      if (ok) {
        best = d.endpoint;
        best_len = f.size();
      }
    }
  }
  return best;
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
