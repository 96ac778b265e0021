// `dealstat events`: one page of the events list (SPEC section 8), newest
// first, with the total count of matches and the cursor of the next page
// (include/dealstat/reports/events_list.hpp). Filters combine with AND:
//   --from/--to DATE  --entity TYPE [--entity-id N]  --contact ID  --company ID
//   --user ID|NAME,...  --type T,...  --limit N  --cursor C
// The index is built for the one page; the library keeps an EventIndex for
// repeated pages.
#include <memory>
#include <optional>

#include "commands.hpp"
#include "dealstat/reports/events_list.hpp"
#include "filter_flags.hpp"

namespace dealstat::cli {

namespace {

struct EventsFlags {
  FilterFlags filter;  // --from, --to
  std::string entity, cursor;
  std::optional<std::int64_t> entity_id, contact, company;
  std::vector<std::string> users, types;
  std::int64_t limit = 50;
};

std::vector<ResultTable> events_tables(const Dataset& ds, const EventsFlags& f) {
  EventsListOptions o;
  o.period = period_of(f.filter);
  o.entity_type = f.entity;
  o.entity_id = f.entity_id;
  o.contact_id = f.contact;
  o.company_id = f.company;
  for (const auto& u : f.users) o.users.push_back(resolve_user(ds, u, "--user"));
  o.types = f.types;
  o.limit = f.limit;
  o.cursor = f.cursor;
  return events_list(ds, o).to_tables();
}

}  // namespace

void register_events(CLI::App& app) {
  auto f = std::make_shared<EventsFlags>();
  CLI::App& cmd = add_report_command(app, "events", "Events list: one page of the event log, newest first",
                                     [f](const Dataset& ds) { return events_tables(ds, *f); });
  add_filter_flags(cmd, f->filter, kPeriodFlags);
  auto* entity = cmd.add_option("--entity", f->entity, "Entity type (lead, contact, company, task, ...)");
  cmd.add_option("--entity-id", f->entity_id, "One entity of --entity, by id")->needs(entity);
  cmd.add_option("--contact", f->contact, "Events of this contact and of its deals (contact id)");
  cmd.add_option("--company", f->company, "Events of this company and of its deals (company id)");
  cmd.add_option("--user", f->users, "Users who made the events, ids or names (comma-separated, any of)")
      ->delimiter(',');
  cmd.add_option("--type", f->types, "Event types (comma-separated, any of)")->delimiter(',');
  cmd.add_option("--limit", f->limit, "Events per page")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000000}))
      ->capture_default_str();
  cmd.add_option("--cursor", f->cursor, "Start after this event (next_cursor of the previous page)");
}

}  // namespace dealstat::cli
