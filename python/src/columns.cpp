// Building a Dataset from in-memory columns (pandas, Arrow, numpy): the
// Python side normalises every table to {column: numpy array or sequence of
// str}, ids and times as int64 (INT64_MIN = none). Deal and stage-change
// numbers go to the builder as spans over the numpy buffers (no copy on the
// way in when they are already C-contiguous int64); tables with strings and
// the small tables go row by row. A row number in a problem is the 1-based
// position in the frame; the source is the table's keyword ("deals").
#include <optional>
#include <string>
#include <vector>

#include "dataset.hpp"
#include "dealstat/time/calendar.hpp"
#include "dealstat/time/time_zone.hpp"

namespace dealstat_py {
namespace {

using I64 = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
constexpr std::int64_t kNone = dealstat::kNoId;

// One table's columns with typed, length-checked access.
class Cols {
 public:
  Cols(std::string table, py::dict d) : table_(std::move(table)), d_(std::move(d)) {
    for (auto kv : d_) {
      auto n = static_cast<std::size_t>(py::len(kv.second));
      if (rows_ && *rows_ != n)
        throw dealstat::Error::bad_option(table_ + "." + py::str(kv.first).cast<std::string>(), std::to_string(n),
                                          "column length differs from the table's other columns (" +
                                              std::to_string(*rows_) + ")");
      rows_ = n;
    }
  }
  std::size_t rows() const { return rows_.value_or(0); }
  bool has(const char* name) const { return d_.contains(name); }
  //! An int64 column (a view when the input is C-contiguous int64); empty when absent.
  I64 ints(const char* name, bool required = false) const {
    if (!has(name)) {
      if (required) missing(name);
      return I64(0);
    }
    return I64::ensure(d_[name]);
  }
  std::span<const std::int64_t> span(const I64& a) const { return {a.data(), static_cast<std::size_t>(a.size())}; }
  //! A string column as std::strings (None = empty); empty vector when absent.
  std::vector<std::string> strings(const char* name, bool required = false) const {
    std::vector<std::string> out;
    if (!has(name)) {
      if (required) missing(name);
      return out;
    }
    py::sequence seq = py::reinterpret_borrow<py::sequence>(d_[name]);
    out.reserve(rows());
    for (auto v : seq) out.push_back(v.is_none() ? std::string() : py::str(v).cast<std::string>());
    return out;
  }
  //! A column of string lists (tags): each cell a list/tuple of str, a comma-separated str, or None.
  std::vector<std::vector<std::string>> string_lists(const char* name) const {
    std::vector<std::vector<std::string>> out;
    if (!has(name)) return out;
    py::sequence seq = py::reinterpret_borrow<py::sequence>(d_[name]);
    for (auto v : seq) {
      std::vector<std::string> cell;
      if (v.is_none()) {
      } else if (py::isinstance<py::str>(v)) {
        std::string s = v.cast<std::string>();
        std::size_t b = 0;
        while (b <= s.size() && !s.empty()) {
          auto e = s.find(',', b);
          if (e == std::string::npos) e = s.size();
          std::string t = s.substr(b, e - b);
          while (!t.empty() && t.front() == ' ') t.erase(t.begin());
          while (!t.empty() && t.back() == ' ') t.pop_back();
          if (!t.empty()) cell.push_back(t);
          b = e + 1;
        }
      } else {
        for (auto x : py::reinterpret_borrow<py::iterable>(v)) cell.push_back(py::str(x).cast<std::string>());
      }
      out.push_back(std::move(cell));
    }
    return out;
  }
  [[noreturn]] void missing(const char* name) const {
    throw dealstat::Error::bad_option(table_, name, "the table has no column '" + std::string(name) + "'");
  }

 private:
  std::string table_;
  py::dict d_;
  std::optional<std::size_t> rows_;
};

std::int64_t at(const I64& a, std::size_t i, std::int64_t dflt = kNone) {
  return a.size() == 0 ? dflt : a.data()[i];
}
std::optional<std::int64_t> opt(const I64& a, std::size_t i) {
  std::int64_t v = at(a, i);
  return v == kNone ? std::nullopt : std::optional<std::int64_t>(v);
}
template <class Id>
std::optional<Id> opt_id(const I64& a, std::size_t i) {
  auto v = opt(a, i);
  return v ? std::optional<Id>(Id{*v}) : std::nullopt;
}
std::optional<dealstat::Timestamp> opt_time(const I64& a, std::size_t i) {
  auto v = opt(a, i);
  return v ? std::optional<dealstat::Timestamp>(dealstat::Timestamp{*v}) : std::nullopt;
}
const std::string& str_at(const std::vector<std::string>& v, std::size_t i) {
  static const std::string empty;
  return v.empty() ? empty : v[i];
}

dealstat::StageKind parse_kind(const std::string& s, std::size_t row) {
  if (s == "open" || s.empty()) return dealstat::StageKind::open;
  if (s == "won") return dealstat::StageKind::won;
  if (s == "lost") return dealstat::StageKind::lost;
  if (s == "unsorted") return dealstat::StageKind::unsorted;
  throw dealstat::Error(dealstat::ErrorCode::invalid_data,
                        dealstat::Problem{"stages", static_cast<std::int64_t>(row + 1), "kind", s,
                                          "expected unsorted, open, won or lost"});
}

dealstat::UnsortedOutcome parse_outcome(const std::string& s, std::size_t row) {
  if (s == "pending" || s.empty()) return dealstat::UnsortedOutcome::pending;
  if (s == "accepted") return dealstat::UnsortedOutcome::accepted;
  if (s == "declined") return dealstat::UnsortedOutcome::declined;
  throw dealstat::Error(dealstat::ErrorCode::invalid_data,
                        dealstat::Problem{"unsorted", static_cast<std::int64_t>(row + 1), "outcome", s,
                                          "expected accepted, declined or pending"});
}

void add_deals(dealstat::DatasetBuilder& b, const Cols& c) {
  I64 id = c.ints("id", true), pipeline = c.ints("pipeline_id", true), stage = c.ints("stage_id", true),
      created = c.ints("created_at", true), closed = c.ints("closed_at"), budget = c.ints("budget_minor"),
      resp = c.ints("responsible_id");
  const bool numeric_only = !c.has("name") && !c.has("channel") && !c.has("tags") && !c.has("loss_reason") &&
                            !c.has("contact_id") && !c.has("company_id") && !c.has("deleted");
  if (numeric_only) {  // spans straight over the numpy buffers
    dealstat::DealColumns dc{c.span(id), c.span(pipeline), c.span(stage), c.span(created),
                             c.span(closed), c.span(budget), c.span(resp)};
    py::gil_scoped_release nogil;
    b.add_deal_columns(dc);
    return;
  }
  auto name = c.strings("name"), channel = c.strings("channel"), loss = c.strings("loss_reason");
  auto tags = c.string_lists("tags");
  I64 contact = c.ints("contact_id"), company = c.ints("company_id"), deleted = c.ints("deleted");
  for (std::size_t i = 0; i < c.rows(); ++i) {
    dealstat::DealRow r;
    r.id = dealstat::DealId{at(id, i)};
    r.pipeline = dealstat::PipelineId{at(pipeline, i)};
    r.stage = dealstat::StageId{at(stage, i)};
    r.created_at = dealstat::Timestamp{at(created, i)};
    r.closed_at = opt_time(closed, i);
    r.budget = dealstat::Money{at(budget, i, 0)};
    r.responsible = opt_id<dealstat::UserId>(resp, i);
    r.name = str_at(name, i);
    r.channel = str_at(channel, i);
    if (!tags.empty()) r.tags = std::move(tags[i]);
    r.loss_reason = str_at(loss, i);
    r.contact_id = opt(contact, i);
    r.company_id = opt(company, i);
    r.deleted = at(deleted, i, 0) != 0;
    b.add_deal(std::move(r), static_cast<std::int64_t>(i + 1));
  }
}

void add_stage_changes(dealstat::DatasetBuilder& b, const Cols& c) {
  I64 deal = c.ints("deal_id", true), at_ = c.ints("at", true), from = c.ints("from_stage_id"),
      to = c.ints("to_stage_id", true), to_p = c.ints("to_pipeline_id"), by = c.ints("by_user_id");
  if (!c.has("from_pipeline_id")) {
    dealstat::StageChangeColumns sc{c.span(deal), c.span(at_), c.span(from), c.span(to), c.span(to_p), c.span(by)};
    py::gil_scoped_release nogil;
    b.add_stage_change_columns(sc);
    return;
  }
  I64 from_p = c.ints("from_pipeline_id");
  for (std::size_t i = 0; i < c.rows(); ++i) {
    dealstat::StageChangeRow r;
    r.deal = dealstat::DealId{at(deal, i)};
    r.at = dealstat::Timestamp{at(at_, i)};
    r.from_pipeline = opt_id<dealstat::PipelineId>(from_p, i);
    r.from_stage = opt_id<dealstat::StageId>(from, i);
    r.to_pipeline = opt_id<dealstat::PipelineId>(to_p, i);
    r.to_stage = dealstat::StageId{at(to, i)};
    r.by_user = opt_id<dealstat::UserId>(by, i);
    b.add_stage_change(r, static_cast<std::int64_t>(i + 1));
  }
}

void add_simple(dealstat::DatasetBuilder& b, const Cols& c, const std::string& table) {
  I64 id = c.ints("id", true), created = c.ints("created_at", true), resp = c.ints("responsible_id");
  for (std::size_t i = 0; i < c.rows(); ++i) {
    dealstat::SimpleEntityRow r{at(id, i), dealstat::Timestamp{at(created, i)}, opt_id<dealstat::UserId>(resp, i)};
    auto line = static_cast<std::int64_t>(i + 1);
    if (table == "contacts") b.add_contact(r, line);
    else if (table == "companies") b.add_company(r, line);
    else if (table == "customers") b.add_customer(r, line);
    else b.add_invoice(r, line);
  }
}

py::tuple build_from_columns(py::dict account, py::dict tables, const std::string& policy) {
  auto pol = parse_policy(policy);
  dealstat::DatasetBuilder b;
  dealstat::Account acc;
  if (account.contains("time_zone")) acc.time_zone = dealstat::TimeZone::parse(account["time_zone"].cast<std::string>());
  if (account.contains("first_day_of_week"))
    acc.first_day_of_week = dealstat::parse_weekday(account["first_day_of_week"].cast<std::string>());
  if (account.contains("currency")) acc.currency = account["currency"].cast<std::string>();
  if (account.contains("minor_digits")) acc.minor_digits = account["minor_digits"].cast<std::int32_t>();
  b.set_account(std::move(acc));

  static const std::pair<const char*, dealstat::Table> kTables[] = {
      {"users", dealstat::Table::users},         {"pipelines", dealstat::Table::pipelines},
      {"stages", dealstat::Table::stages},       {"deals", dealstat::Table::deals},
      {"stage_changes", dealstat::Table::stage_changes}, {"tasks", dealstat::Table::tasks},
      {"contacts", dealstat::Table::contacts},   {"companies", dealstat::Table::companies},
      {"customers", dealstat::Table::customers}, {"invoices", dealstat::Table::invoices},
      {"purchases", dealstat::Table::purchases}, {"unsorted", dealstat::Table::unsorted},
      {"events", dealstat::Table::events}};
  for (auto kv : tables) {
    auto key = py::str(kv.first).cast<std::string>();
    bool known = false;
    for (const auto& [name, t] : kTables)
      if (key == name) {
        b.set_source(t, key);
        known = true;
      }
    if (!known) throw dealstat::Error::bad_option("tables", key, "unknown table");
  }
  auto get = [&](const char* name) { return Cols(name, tables.contains(name) ? py::dict(tables[name]) : py::dict()); };

  {
    Cols c = get("users");
    I64 id = c.ints("id", c.rows() > 0);
    auto name = c.strings("name"), group = c.strings("group");
    for (std::size_t i = 0; i < c.rows(); ++i)
      b.add_user({dealstat::UserId{at(id, i)}, str_at(name, i), str_at(group, i)}, static_cast<std::int64_t>(i + 1));
  }
  {
    Cols c = get("pipelines");
    I64 id = c.ints("id", c.rows() > 0);
    auto name = c.strings("name");
    for (std::size_t i = 0; i < c.rows(); ++i)
      b.add_pipeline({dealstat::PipelineId{at(id, i)}, str_at(name, i)}, static_cast<std::int64_t>(i + 1));
  }
  {
    Cols c = get("stages");
    I64 pipeline = c.ints("pipeline_id", c.rows() > 0), id = c.ints("id", c.rows() > 0), sort = c.ints("sort");
    auto name = c.strings("name"), kind = c.strings("kind");
    for (std::size_t i = 0; i < c.rows(); ++i)
      b.add_stage({dealstat::PipelineId{at(pipeline, i)}, dealstat::StageId{at(id, i)}, str_at(name, i),
                   static_cast<std::int32_t>(at(sort, i, static_cast<std::int64_t>(i))), parse_kind(str_at(kind, i), i)},
                  static_cast<std::int64_t>(i + 1));
  }
  if (tables.contains("deals")) add_deals(b, get("deals"));
  if (tables.contains("stage_changes")) add_stage_changes(b, get("stage_changes"));
  if (tables.contains("tasks")) {
    Cols c = get("tasks");
    I64 id = c.ints("id", true), resp = c.ints("responsible_id"), created = c.ints("created_at", true),
        due = c.ints("due_at"), done = c.ints("completed_at"), eid = c.ints("entity_id");
    auto etype = c.strings("entity_type"), type = c.strings("type");
    for (std::size_t i = 0; i < c.rows(); ++i)
      b.add_task({dealstat::TaskId{at(id, i)}, opt_id<dealstat::UserId>(resp, i), dealstat::Timestamp{at(created, i)},
                  opt_time(due, i), opt_time(done, i), str_at(etype, i), opt(eid, i), str_at(type, i)},
                 static_cast<std::int64_t>(i + 1));
  }
  for (const char* t : {"contacts", "companies", "customers", "invoices"})
    if (tables.contains(t)) add_simple(b, get(t), t);
  if (tables.contains("purchases")) {
    Cols c = get("purchases");
    I64 id = c.ints("id", true), cust = c.ints("customer_id"), at_ = c.ints("at", true), amt = c.ints("amount_minor");
    for (std::size_t i = 0; i < c.rows(); ++i)
      b.add_purchase({dealstat::PurchaseId{at(id, i)}, opt(cust, i), dealstat::Timestamp{at(at_, i)},
                      dealstat::Money{at(amt, i, 0)}},
                     static_cast<std::int64_t>(i + 1));
  }
  if (tables.contains("unsorted")) {
    Cols c = get("unsorted");
    I64 id = c.ints("id", true), created = c.ints("created_at", true), resolved = c.ints("resolved_at"),
        deal = c.ints("deal_id"), pipe = c.ints("pipeline_id");
    auto channel = c.strings("channel"), outcome = c.strings("outcome");
    for (std::size_t i = 0; i < c.rows(); ++i) {
      dealstat::UnsortedRow r;
      r.id = dealstat::UnsortedId{at(id, i)};
      r.channel = str_at(channel, i);
      r.created_at = dealstat::Timestamp{at(created, i)};
      r.resolved_at = opt_time(resolved, i);
      r.outcome = parse_outcome(str_at(outcome, i), i);
      r.deal = opt_id<dealstat::DealId>(deal, i);
      r.pipeline = opt_id<dealstat::PipelineId>(pipe, i);
      b.add_unsorted(std::move(r), static_cast<std::int64_t>(i + 1));
    }
  }
  if (tables.contains("events")) {
    Cols c = get("events");
    auto id = c.strings("id", true), type = c.strings("type", true), etype = c.strings("entity_type", true),
         before = c.strings("value_before"), after = c.strings("value_after");
    I64 eid = c.ints("entity_id", true), at_ = c.ints("at", true), by = c.ints("by_user_id");
    for (std::size_t i = 0; i < c.rows(); ++i)
      b.add_event({id[i], type[i], etype[i], at(eid, i), dealstat::Timestamp{at(at_, i)},
                   opt_id<dealstat::UserId>(by, i), str_at(before, i), str_at(after, i)},
                  static_cast<std::int64_t>(i + 1));
  }
  dealstat::BuildResult r;
  {
    py::gil_scoped_release nogil;
    r = std::move(b).build(pol);
  }
  return wrap_build(std::move(r));
}

}  // namespace

void init_columns(py::module_& m) {
  m.def("build_from_columns", &build_from_columns, py::arg("account"), py::arg("tables"), py::arg("policy"),
        "Builds a Dataset from {table: {column: array}}; returns (dataset, problems).");
}

}  // namespace dealstat_py
